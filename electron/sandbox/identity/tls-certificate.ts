import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface LocalhostCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * A fresh self-signed certificate for the sandbox's HTTPS listener, valid for `localhost` and the
 * loopback addresses. Clients trust exactly this certificate (see core/auth/trusted-network-client.ts)
 * instead of switching verification off. The RSA key comes from node:crypto because selfsigned's
 * pure-JS key generation takes seconds on a shared two-core machine.
 *
 * Validity uses the real wall clock, not the sandbox's simulated clock: TLS peers check it against
 * their own system time.
 */
export async function generateLocalhostCertificate(): Promise<LocalhostCertificate> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyPair: { privateKey, publicKey },
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
