package io.gantry.backend.mqtt;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Hands every status a device publishes on its own {@code status/} topics to the
 * {@link DeviceStatusBoard}. The topic's owner must be the publishing client (whose id the
 * authenticator bound to its certificate's CN); anything else is left to the broker's
 * permissions, which deny it.
 */
final class StatusInterceptor implements PublishInboundInterceptor {
    private final DeviceStatusBoard board;

    StatusInterceptor(DeviceStatusBoard board) {
        this.board = Objects.requireNonNull(board, "board");
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        if (!clientId.equals(MqttTopics.statusOwner(topic))) {
            return;
        }
        ByteBuffer payload = input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0));
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        board.record(clientId, topic, bytes);
    }
}
