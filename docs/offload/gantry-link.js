// Checks a Gantry signed download link in nginx (njs, Debian package libnginx-mod-http-js).
// Link: /artifacts/<sha256>?device=<id>&expires=<unix seconds>&signature=<sig>, where sig is the
// unpadded base64url HMAC-SHA256, keyed with the offload secret, of
// "gantry-link-v1\n" + id + "\n" + sha256 + "\n" + expires (docs/distribution.md).
// verdict() answers "ok" or why not; nginx answers 403 unless "ok" and logs the verdict.
var crypto = require('crypto');
var fs = require('fs');

var DEVICE = /^[A-Za-z0-9._~-]{1,64}$/;
var EXPIRES = /^[0-9]{1,12}$/;
var SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
var SHA256 = /^[0-9a-f]{64}$/;

// The device certificate's CN, only when it is the first RDN and a device (OU=devices) one.
function clientDevice(r) {
    var m = /^CN=([A-Za-z0-9._~-]{1,64}),OU=devices(,|$)/.exec(r.variables.ssl_client_s_dn || '');
    return m ? m[1] : null;
}

function sameText(a, b) {
    if (a.length !== b.length) {
        return false;
    }
    var diff = 0;
    for (var i = 0; i < a.length; i++) {
        diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    }
    return diff === 0;
}

function verdict(r) {
    var device = r.args.device;
    var expires = r.args.expires;
    var signature = r.args.signature;
    var sha256 = r.variables.gantry_sha256;
    if (typeof device !== 'string' || !DEVICE.test(device) || typeof expires !== 'string' || !EXPIRES.test(expires)
            || typeof signature !== 'string' || !SIGNATURE.test(signature) || !SHA256.test(sha256 || '')) {
        return 'malformed';
    }
    if (Number(expires) <= Math.floor(Date.now() / 1000)) {
        return 'expired';
    }
    if (r.variables.ssl_client_verify !== 'SUCCESS' || clientDevice(r) !== device) {
        return 'other-device';
    }
    var secret;
    try {
        secret = fs.readFileSync(r.variables.gantry_secret_file, 'utf8').trim();
    } catch (e) {
        r.error('gantry offload secret unreadable: ' + e);
        return 'no-secret';
    }
    if (secret.length < 32) {
        r.error('gantry offload secret shorter than 32 characters');
        return 'no-secret';
    }
    var expected = crypto.createHmac('sha256', secret)
        .update('gantry-link-v1\n' + device + '\n' + sha256 + '\n' + expires).digest('base64url');
    return sameText(expected, signature) ? 'ok' : 'bad-signature';
}

export default {verdict};
