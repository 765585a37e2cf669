import { testDataCenterFromConfig } from '../telegram/create-client.ts';
import type { TelegramAccess } from '../telegram/login.ts';
import type { Runtime } from './runtime.ts';

/** What the login and logout calls need from the configuration (api credentials, test DC, deadline). */
export function telegramAccess(runtime: Runtime): TelegramAccess {
  const { telegram, sync } = runtime.config;
  return {
    apiId: telegram.apiId,
    apiHash: telegram.apiHash,
    ...(telegram.testDc === undefined ? {} : { testDataCenter: testDataCenterFromConfig(telegram.testDc) }),
    logger: {
      debug: (object, message) => runtime.logger.debug(object, message),
      // GramJS reports its own routine disconnect as a warning; at the end of a login it is expected.
      warn: (object, message) =>
        /^Disconnecting\.*$/.test(message)
          ? runtime.logger.debug(object, message)
          : runtime.logger.warn(object, message),
    },
    callTimeoutMs: sync.callTimeoutMs,
  };
}
