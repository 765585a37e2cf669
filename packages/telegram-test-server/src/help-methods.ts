/**
 * help.getConfig and help.getNearestDc. GramJS asks for the config on every connect (inside
 * initConnection) and uses its dcOptions to find other DCs on USER_MIGRATE, so every local DC is
 * listed, each with its real port (GramJS ignores the port; the test connection class supplies it).
 */
import { Api } from 'telegram';

export interface DataCenterAddress {
  dcId: number;
  host: string;
  port: number;
}

export function buildConfig(thisDc: number, dataCenters: readonly DataCenterAddress[]): Api.Config {
  const now = Math.floor(Date.now() / 1000);
  return new Api.Config({
    date: now,
    expires: now + 3600,
    testMode: false,
    thisDc,
    dcOptions: dataCenters.map((dc) => new Api.DcOption({ id: dc.dcId, ipAddress: dc.host, port: dc.port })),
    dcTxtDomainName: 'localhost',
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/',
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: thisDc,
  });
}

export function buildNearestDc(thisDc: number): Api.NearestDc {
  return new Api.NearestDc({ country: 'ZZ', thisDc, nearestDc: thisDc });
}
