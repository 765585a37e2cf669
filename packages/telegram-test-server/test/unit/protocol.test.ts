import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { MTProtoState } from 'telegram/network/MTProtoState.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { bigEndianBytes, tlBytes } from '../../src/protocol/bytes.ts';
import { decryptClientMessage, encryptServerMessage } from '../../src/protocol/message-crypto.ts';
import { ServerMessageIds } from '../../src/protocol/message-ids.ts';
import { rsaFingerprint } from '../../src/protocol/rsa-server-key.ts';
import { gunzipPacked, maybeGzip, parseContainer, readTlBytes } from '../../src/protocol/service-messages.ts';
import {
  FullTransportDecoder,
  FullTransportEncoder,
  TransportFramingError,
} from '../../src/protocol/tcp-full-framing.ts';
import { writeTlObject } from '../../src/protocol/tl-writer.ts';
import { authKeyIdOf } from '../../src/auth-key-store.ts';

describe('RSA fingerprint', () => {
  it("matches the fingerprint GramJS ships for Telegram's production key", () => {
    const n = BigInt(
      '2937959817066933702298617714945612856538843112005886376816255642404751219133084745514657634448776440866' +
        '1701890505066208632169112269581063774293102577308490531282748465986139880977280302242772832972539403531' +
        '3160108704012876427630091361567343395380424193887227773571344877461690935390938502512438971889287359033' +
        '8945177273024525306296338410881284207988753897636046529094613963869149149606209957083647645485599631919' +
        '2747663615955633778034897140982517446405334423701359108810182097749467210509584293428076654573384828809' +
        '574217079944388301239431309115013843331317877374435868468779972014486325557807783825502498215169806323',
    );
    assert.equal(rsaFingerprint(bigEndianBytes(n), bigEndianBytes(65537n)), -3414540481677951611n);
  });
});

describe('full TCP transport', () => {
  it('reassembles packets split at any byte and checks the CRC', () => {
    const encoder = new FullTransportEncoder();
    const payloads = [randomBytes(40), randomBytes(1), randomBytes(3000)];
    const stream = Buffer.concat(payloads.map((p) => encoder.encode(p)));
    const decoder = new FullTransportDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 7) out.push(...decoder.push(stream.subarray(i, i + 7)));
    assert.deepEqual(out, payloads);
    assert.equal(stream.readInt32LE(stream.readInt32LE(0) + 4), 1, 'the second packet carries seq 1');
  });

  it('rejects a corrupted packet', () => {
    const packet = new FullTransportEncoder().encode(randomBytes(16));
    packet[10] = packet[10]! ^ 0xff;
    assert.throws(() => new FullTransportDecoder().push(packet), TransportFramingError);
    assert.notEqual(crc32(packet.subarray(0, packet.length - 4)), packet.readUInt32LE(packet.length - 4));
  });
});

describe('MTProto 2.0 message encryption', () => {
  it('produces messages GramJS decrypts, and decrypts what GramJS encrypts', async () => {
    const key = randomBytes(256);
    key[0] = key[0]! | 0x80;
    const authKey = new AuthKey();
    await authKey.setKey(key);
    const state = new MTProtoState(authKey, new Logger(LogLevel.NONE));
    state.salt = bigInt(77);
    const pong = Buffer.from(new Api.Pong({ msgId: bigInt(5), pingId: bigInt(6) }).getBytes());
    const packet = encryptServerMessage(key, authKeyIdOf(key), {
      salt: 77n,
      sessionId: BigInt((state as unknown as { id: { toString(): string } }).id.toString()),
      msgId: new ServerMessageIds().next('reply'),
      seqNo: 1,
      body: pong,
    });
    const received = await state.decryptMessageData(packet);
    assert.ok(received.obj instanceof Api.Pong);
    assert.equal(received.obj.pingId.toString(), '6');

    const body = Buffer.from(new Api.updates.GetState().getBytes());
    const writer = {
      data: [] as Buffer[],
      write(b: Buffer) {
        this.data.push(b);
      },
    };
    const msgId = await state.writeDataAsMessage(writer as never, body, true);
    const encrypted = await state.encryptMessageData(Buffer.concat(writer.data));
    const decrypted = decryptClientMessage(key, Buffer.from(encrypted));
    assert.equal(decrypted.salt, 77n);
    assert.equal(decrypted.msgId.toString(), msgId.toString());
    assert.deepEqual(decrypted.body, body);
  });
});

describe('server message ids', () => {
  it('increase strictly, ≡ 1 (mod 4) for replies and 3 for server-initiated messages', () => {
    const ids = new ServerMessageIds();
    let last = 0n;
    for (let i = 0; i < 1000; i++) {
      const kind = i % 3 === 0 ? 'unsolicited' : 'reply';
      const id = ids.next(kind);
      assert.ok(id > last);
      assert.equal(id % 4n, kind === 'reply' ? 1n : 3n);
      last = id;
    }
  });
});

describe('service-message helpers', () => {
  it('reads TL bytes of both length forms', () => {
    for (const size of [0, 3, 253, 254, 1000]) {
      const data = randomBytes(size);
      const encoded = Buffer.concat([tlBytes(data), Buffer.from([9, 9, 9, 9])]);
      const { value, next } = readTlBytes(encoded, 0);
      assert.deepEqual(value, data);
      assert.equal(next % 4, 0);
      assert.equal(encoded[next], 9);
    }
  });

  it('gzips big objects only when it helps, reversibly', () => {
    const big = Buffer.alloc(20000, 7);
    const packed = maybeGzip(big, 8192);
    assert.ok(packed.length < big.length);
    assert.deepEqual(gunzipPacked(packed), big);
    const random = randomBytes(20000);
    assert.equal(maybeGzip(random, 8192), random, 'incompressible data is sent as is');
    assert.equal(maybeGzip(Buffer.alloc(100), 8192).length, 100);
  });

  it('parses a message container', () => {
    const inner = [
      Buffer.from(new Api.updates.GetState().getBytes()),
      Buffer.from(new Api.help.GetConfig().getBytes()),
    ];
    const parts: Buffer[] = [Buffer.from([0xdc, 0xf8, 0xf1, 0x73]), Buffer.alloc(4)];
    parts[1]!.writeInt32LE(2, 0);
    inner.forEach((body, i) => {
      const header = Buffer.alloc(16);
      header.writeBigInt64LE(BigInt(100 + i * 4), 0);
      header.writeInt32LE(i * 2 + 1, 8);
      header.writeInt32LE(body.length, 12);
      parts.push(header, body);
    });
    const messages = parseContainer(Buffer.concat(parts));
    assert.deepEqual(
      messages.map((m) => [m.msgId, m.seqNo, m.body]),
      [
        [100n, 1, inner[0]],
        [104n, 3, inner[1]],
      ],
    );
  });
});

describe('fast TL writer', () => {
  it('writes exactly the bytes of GramJS getBytes()', () => {
    const objects: Array<{ getBytes(): Buffer }> = [
      new Api.User({
        id: bigInt(5),
        accessHash: bigInt('-9000000000000000000'),
        firstName: 'Ann',
        bot: false,
        self: true,
        usernames: [new Api.Username({ username: 'ann', active: true })],
        status: new Api.UserStatusRecently({}),
      }),
      new Api.messages.PeerDialogs({
        dialogs: [
          new Api.Dialog({
            peer: new Api.PeerChannel({ channelId: bigInt(9) }),
            topMessage: 3,
            readInboxMaxId: 1,
            readOutboxMaxId: 2,
            unreadCount: 4,
            unreadMentionsCount: 0,
            unreadReactionsCount: 0,
            pts: 77,
            notifySettings: new Api.PeerNotifySettings({ silent: false }),
          }),
        ],
        messages: [
          new Api.Message({
            id: 3,
            peerId: new Api.PeerChannel({ channelId: bigInt(9) }),
            date: 1_700_000_000,
            message: 'héllo '.repeat(60),
            out: true,
            entities: [],
          }),
        ],
        chats: [
          new Api.Channel({
            id: bigInt(9),
            title: 'T',
            photo: new Api.ChatPhotoEmpty(),
            date: 1,
            accessHash: bigInt(1),
          }),
        ],
        users: [],
        state: new Api.updates.State({ pts: 1, qts: 2, date: 3, seq: 4, unreadCount: 5 }),
      }),
    ];
    for (const object of objects) assert.deepEqual(writeTlObject(object), Buffer.from(object.getBytes()));
  });
});
