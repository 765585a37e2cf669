/** Adapts the simulated world (src/world) to the protocol layer's {@link WorldBackend}. */
import type { Api } from 'telegram';
import { NOT_HANDLED, World, callWorldMethod } from './world/index.ts';
import { WORLD_NOT_HANDLED, type WorldBackend } from './world-backend.ts';

export function worldBackend(world: World): WorldBackend {
  return {
    get accounts() {
      return world.accounts;
    },
    call(ctx, request) {
      const result = callWorldMethod(world, ctx, request as Api.AnyRequest);
      return result === NOT_HANDLED ? WORLD_NOT_HANDLED : result;
    },
  };
}

/** Accepts either the real world or an already adapted backend (e.g. a test stand-in). */
export function toWorldBackend(world: World | WorldBackend): WorldBackend {
  return world instanceof World ? worldBackend(world) : world;
}
