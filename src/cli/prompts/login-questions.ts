import QRCode from 'qrcode';
import type { SecretRegistry } from '../../observability/secret-registry.ts';
import type { LoginQuestions } from '../../telegram/login.ts';
import type { Prompter } from './prompter.ts';

/**
 * The login's questions asked through a {@link Prompter}. Every answer is registered as a secret the
 * moment it is read, so no log line or error text can carry a phone number, code or password.
 */
export function loginQuestions(prompter: Prompter, secrets: SecretRegistry): LoginQuestions {
  return {
    async phoneNumber() {
      const phone = await prompter.ask('Phone number of the account (international format, e.g. +49 151 12345678):');
      secrets.add(phone);
      return phone;
    },
    async loginCode({ length, attempt }) {
      const code = await prompter.ask(
        `${attempt > 1 ? 'Login code again' : 'Login code'}${length === undefined ? '' : ` (${length} digits)`}:`,
      );
      secrets.add(code);
      return code;
    },
    async password({ hint, attempt }) {
      const password = await prompter.askSecret(
        `${attempt > 1 ? '2FA password again' : '2FA password'}${hint ? ` (hint: ${hint})` : ''}:`,
      );
      secrets.add(password);
      return password;
    },
    async showQrCode(link, expiresAt) {
      const drawing = await QRCode.toString(link, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
      prompter.say(
        `Scan this QR code with a Telegram app where the account is logged in (Settings → Devices → Link Desktop Device); ` +
          `it is renewed at ${expiresAt.toISOString()}:\n${drawing}\n${link}`,
      );
    },
    notice: (message) => prompter.say(message),
  };
}
