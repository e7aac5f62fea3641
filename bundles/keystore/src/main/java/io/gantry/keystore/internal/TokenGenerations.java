package io.gantry.keystore.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The token aliases one device identity has over its renewals. The provisioned entry is the
 * configured alias (generation 0); renewal {@code n} stores its key and chain as {@code <alias>#n};
 * a key waiting for its certificate sits under {@code <alias>#pending} with a self-signed
 * placeholder certificate (so that it is an alias the key store can delete).
 *
 * <p>The active identity is the highest generation whose entry is complete: a private key that
 * stays on the token, a chain whose first certificate carries that key (proved by a signature on
 * the token) and whose certificates lead by signature to a configured trust anchor. Storing a
 * renewed entry is therefore the switch: before it, the previous generation is the highest
 * complete one; after it, the new one. The provisioned entry (generation 0) is taken as configured,
 * as before renewal existed.
 */
final class TokenGenerations {
    private static final System.Logger LOG = System.getLogger(TokenGenerations.class.getName());
    private final KeyStore token;
    private final String base;

    /** The entry in use: its alias and chain (device certificate first). */
    record Active(String alias, int generation, List<X509Certificate> chain) {
        X509Certificate leaf() {
            return chain.get(0);
        }
    }

    TokenGenerations(KeyStore token, String base) {
        this.token = token;
        this.base = base;
    }

    String pendingAlias() {
        return base + "#pending";
    }

    String aliasOf(int generation) {
        return generation == 0 ? base : base + "#" + generation;
    }

    /** @return the generations with an entry on the token, highest first */
    List<Integer> present() throws GeneralSecurityException {
        List<Integer> out = new ArrayList<>();
        for (String alias : Collections.list(token.aliases())) {
            if (alias.equals(base)) {
                out.add(0);
            } else if (alias.startsWith(base + "#") && alias.substring(base.length() + 1).matches("[1-9][0-9]{0,8}")) {
                out.add(Integer.parseInt(alias.substring(base.length() + 1)));
            }
        }
        out.sort(Comparator.reverseOrder());
        return out;
    }

    /** @return the generation for the next renewal: above every generation present, complete or not */
    int nextGeneration() throws GeneralSecurityException {
        List<Integer> gens = present();
        return gens.isEmpty() ? 1 : gens.get(0) + 1;
    }

    /**
     * Picks the active entry (see the class comment), then removes what a crash may have left: an
     * abandoned pending key and generations below the active one. Higher incomplete generations are
     * left alone: a broken entry is not proof that nothing else could use it.
     *
     * @throws GeneralSecurityException if no generation is usable; the reason is the provisioned
     *     entry's (missing, extractable, not matching its certificate)
     */
    Active activate(KeyStore trustStore, Provider provider) throws GeneralSecurityException {
        Active active = null;
        for (int gen : present()) {
            String alias = aliasOf(gen);
            try {
                PrivateKey key = TokenKeys.nonExtractable(token, alias);
                List<X509Certificate> chain = DeviceCertificates.toX509(token.getCertificateChain(alias));
                TokenKeys.requireMatch(key, chain.get(0).getPublicKey(), provider);
                if (gen > 0 && !reachesAnchor(chain, trustStore)) {
                    LOG.log(System.Logger.Level.WARNING, "token entry {0} is incomplete (chain does not reach a trust "
                            + "anchor); not used", alias);
                    continue;
                }
                active = new Active(alias, gen, chain);
                break;
            } catch (GeneralSecurityException e) {
                if (gen == 0) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "token entry {0} is not usable: {1}", alias, e.getMessage());
            }
        }
        if (active == null) {
            TokenKeys.nonExtractable(token, base); // throws with the reason (no such entry)
            throw new GeneralSecurityException("no usable device key entry '" + base + "' on the token");
        }
        discardPending(active);
        retireBelow(active);
        return active;
    }

    /** Deletes the generations older than {@code active}; a failure only leaves them for later. */
    void retireBelow(Active active) {
        try {
            for (int gen : present()) {
                if (gen < active.generation()) {
                    retire(aliasOf(gen));
                }
            }
        } catch (GeneralSecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list the token to remove replaced entries: {0}", e.getMessage());
        }
    }

    /** Removes the pending entry, unless (a token that copies instead of relabelling) it is the active key. */
    void discardPending(Active active) throws GeneralSecurityException {
        String pending = pendingAlias();
        if (!token.containsAlias(pending)) {
            return;
        }
        Certificate placeholder = token.getCertificate(pending);
        if (placeholder != null && placeholder.getPublicKey().equals(active.leaf().getPublicKey())) {
            return;
        }
        token.deleteEntry(pending);
    }

    private void retire(String alias) {
        try {
            token.deleteEntry(alias);
        } catch (GeneralSecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the replaced token entry {0} ({1}); the next start "
                    + "removes it", alias, e.getMessage());
        }
    }

    /** @return whether each certificate is signed by the next, and the last by a trust anchor (or is one) */
    static boolean reachesAnchor(List<X509Certificate> chain, KeyStore trustStore) throws GeneralSecurityException {
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!signedBy(chain.get(i), chain.get(i + 1).getPublicKey())) {
                return false;
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        for (String a : Collections.list(trustStore.aliases())) {
            Certificate anchor = trustStore.getCertificate(a);
            if (anchor instanceof X509Certificate x && (x.equals(last) || x.getSubjectX500Principal()
                    .equals(last.getIssuerX500Principal()) && signedBy(last, x.getPublicKey()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(X509Certificate cert, PublicKey issuerKey) {
        try {
            cert.verify(issuerKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
