import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { computeCheck } from 'telegram/Password.js';
import { TELEGRAM_DH_G, TELEGRAM_DH_PRIME } from '../../src/protocol/dh-group.ts';
import { createChallenge, createVerifier, verifyProof } from '../../src/srp.ts';

describe('2FA SRP', () => {
  it("accepts GramJS's proof for the right password and rejects a wrong one", async () => {
    const verifier = createVerifier('s3cret');
    const prove = async (password: string) => {
      const challenge = createChallenge(verifier);
      const check = (await computeCheck(
        new Api.account.Password({
          hasPassword: true,
          currentAlgo: new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
            salt1: verifier.salt1,
            salt2: verifier.salt2,
            g: TELEGRAM_DH_G,
            p: TELEGRAM_DH_PRIME,
          }),
          srp_B: challenge.B,
          srpId: bigInt(1),
          newAlgo: new Api.PasswordKdfAlgoUnknown(),
          newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
          secureRandom: Buffer.alloc(32),
        }),
        password,
      )) as Api.InputCheckPasswordSRP;
      return verifyProof(verifier, challenge, Buffer.from(check.A), Buffer.from(check.M1));
    };
    assert.equal(await prove('s3cret'), true);
    assert.equal(await prove('S3cret'), false);
  });
});
