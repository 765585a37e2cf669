/**
 * GramJS's TCP socket with Nagle's algorithm off (TCP_NODELAY).
 *
 * After an RPC error GramJS acknowledges the failed request at once, on its own (MTProtoSender
 * `_handleRPCResult` queues a separate msgs_ack), and the job's next request follows a moment later
 * as a second small write. With Nagle on, the kernel holds that second write until the first one is
 * acknowledged by the server, and the server — which answers nothing to a msgs_ack — delays its TCP
 * ACK by the delayed-ACK timer (40 ms on Linux). So every call after a failed call waited ~40 ms:
 * unknown usernames (USERNAME_NOT_OCCUPIED) resolved at ~22 per second instead of ~700. Successful
 * replies never showed it: their acks ride in a container with the next request, one write.
 * MTProto packets are whole messages written in one call each, so there is nothing for Nagle to
 * coalesce that would save a packet.
 */
import { PromisedNetSockets } from 'telegram/extensions/PromisedNetSockets.js';

interface WithSocket {
  client?: { setNoDelay(noDelay: boolean): unknown };
}

export class NoDelayNetSocket extends PromisedNetSockets {
  override async connect(port: number, ip: string): Promise<unknown> {
    const connected = await super.connect(port, ip);
    // Set once connected (a proxied socket is only known then); before any MTProto byte is sent.
    (this as unknown as WithSocket).client?.setNoDelay(true);
    return connected;
  }
}
