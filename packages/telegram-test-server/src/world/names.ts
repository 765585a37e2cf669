/** Word lists for generated names, titles, usernames and message texts. */
import type { Rng } from './random.ts';

export const FIRST_NAMES = [
  'Anna',
  'Boris',
  'Chen',
  'Dmitri',
  'Elena',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jamal',
  'Katya',
  'Lars',
  'Mila',
  'Nikolai',
  'Olga',
  'Pavel',
  'Qiu',
  'Rosa',
  'Sergei',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Xenia',
  'Yusuf',
  'Zoe',
  'Amir',
  'Bea',
  'Carlos',
  'Dana',
  'Émile',
  'Fatima',
  'Jürgen',
  'Łukasz',
  'Søren',
  'Zoë',
  'Алексей',
  'Мария',
  '李',
  'محمد',
] as const;

export const LAST_NAMES = [
  'Ivanova',
  'Smith',
  'Müller',
  'Garcia',
  'Kowalski',
  'Tanaka',
  'Nguyen',
  'Okafor',
  'Rossi',
  'Dubois',
  'Petrov',
  'Kim',
  'Silva',
  'Novak',
  'Haddad',
  'Larsen',
  'Costa',
  'Yilmaz',
  'Fischer',
  'Moreau',
  'Sokolov',
  'Chen',
  'Lopez',
  'Berg',
  "O'Brien",
  'Wójcik',
  'Иванов',
  '王',
] as const;

const ADJECTIVES = [
  'Daily',
  'Quiet',
  'Red',
  'Northern',
  'Open',
  'Crypto',
  'Local',
  'Tiny',
  'Grand',
  'Secret',
  'Urban',
  'Vintage',
  'Happy',
  'Rapid',
  'Golden',
  'Lazy',
  'Brave',
  'Digital',
  'Wild',
  'Late-Night',
] as const;

const NOUNS = [
  'News',
  'Cats',
  'Traders',
  'Gardeners',
  'Runners',
  'Devs',
  'Chess',
  'Recipes',
  'Memes',
  'Books',
  'Jazz',
  'Hikers',
  'Physics',
  'Photos',
  'Deals',
  'Cinema',
  'Makers',
  'Linux',
  'Football',
  'Poetry',
] as const;

const WORDS = [
  'hello',
  'meeting',
  'tomorrow',
  'release',
  'photo',
  'price',
  'weather',
  'coffee',
  'train',
  'update',
  'question',
  'thanks',
  'deadline',
  'link',
  'vote',
  'server',
  'lunch',
  'done',
  'review',
  'ticket',
  'café',
  'naïve',
  'привет',
  '你好',
  '🙂',
  '🚀',
  'ok',
] as const;

export function personName(rng: Rng): { firstName: string; lastName: string } {
  return { firstName: rng.pick(FIRST_NAMES), lastName: rng.chance(0.8) ? rng.pick(LAST_NAMES) : '' };
}

export function groupTitle(rng: Rng): string {
  return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}${rng.chance(0.3) ? ` ${rng.int(2, 99)}` : ''}`;
}

export function sentence(rng: Rng, minWords = 1, maxWords = 12): string {
  const count = rng.int(minWords, maxWords);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(rng.pick(WORDS));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** ASCII username stem (Telegram usernames are [a-z0-9_], start with a letter). */
export function usernameStem(rng: Rng): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let stem = '';
  const length = rng.int(5, 10);
  for (let i = 0; i < length; i++) stem += letters[rng.int(0, letters.length - 1)];
  return stem;
}
