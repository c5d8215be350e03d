import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
/** Password hashing with scrypt: `scrypt$N$r$p$salt$hash` (base64url), parameters stored per hash. */
const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;
function derive(password, salt, opts, keylen) {
    return new Promise((resolve, reject) => scrypt(password, salt, keylen, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}
export async function hashPassword(password) {
    const salt = randomBytes(16);
    const key = await derive(password, salt, { N, r: R, p: P }, KEYLEN);
    return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}
export async function verifyPassword(password, stored) {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt')
        return false;
    const [, n, r, p, saltText, hashText] = parts;
    const expected = Buffer.from(hashText, 'base64url');
    const key = await derive(password, Buffer.from(saltText, 'base64url'), { N: +n, r: +r, p: +p }, expected.length);
    return key.length === expected.length && timingSafeEqual(key, expected);
}
