/**
 * What a GramJS client needs to reach the server: the options object `server.testDataCenterOptions()`
 * returns (the shape the job's `configureTestDataCenter` and this package's `localDataCenter` take),
 * and the StringSession strings `server.sessionFor(account)` hands out. Lives here rather than in the
 * job so that the package never imports the job's code.
 */

/**
 * Port written into session strings. GramJS ignores a session's port (it dials 80, or 443 for other
 * DCs) and `StringSession.save()` writes it as an int16, so clients replace it with the DC's real port
 * in their connection class; 443 is what GramJS itself would write.
 */
export const PLACEHOLDER_PORT = 443;

export interface TestDataCenterOptions {
  /** Host of every local DC (127.0.0.1). */
  host: string;
  /** TCP port of each DC, by DC id; e.g. `{ 2: 40002, 3: 40003 }`. */
  dataCenters: Readonly<Record<number, number>>;
  /** The DCs' RSA public key (PEM, PKCS#1). */
  publicKeyPem: string;
}

/**
 * Encodes a GramJS StringSession string ("1" + base64(dc:uint8, addressLength:int16, address,
 * port:int16, authKey)) for a key the DC already knows.
 */
export function encodeStringSession(dcId: number, host: string, authKey: Buffer): string {
  const address = Buffer.from(host);
  const header = Buffer.alloc(1 + 2);
  header.writeUInt8(dcId, 0);
  header.writeInt16BE(address.length, 1);
  const port = Buffer.alloc(2);
  port.writeInt16BE(PLACEHOLDER_PORT, 0);
  return `1${Buffer.concat([header, address, port, authKey]).toString('base64')}`;
}
