import { describe, expect, it } from '@jest/globals';
import {
  ForbiddenError,
  InvalidTokenError,
  MissingTokenError,
  type MeshPrincipal,
} from '@toskamesh/security';
import type { DiscoveryAuthOptions } from '../config/discovery-options.js';
import { resolveDiscoveryOptions } from '../config/resolve-discovery-options.js';
import { NotOwnerError } from '../errors/not-owner.error.js';
import { UnauthenticatedError } from '../errors/unauthenticated.error.js';
import { DiscoveryAuthorizer } from './discovery-authorizer.service.js';
import type { TokenVerifier } from './token-verifier.js';

/** Tokens are the JSON of the principal; "bad" fails like a bad signature, "boom" like a broken verifier. */
const verifier: TokenVerifier = {
  verify(token) {
    if (token === 'bad') return Promise.reject(new InvalidTokenError('bad_signature'));
    if (token === 'boom') return Promise.reject(new Error('verifier crashed'));
    return Promise.resolve(JSON.parse(Buffer.from(token, 'base64url').toString()) as MeshPrincipal);
  },
};

function token(roles: string[], serviceName?: string): string {
  const principal = { subject: 's', roles, scopes: [], claims: {}, ...(serviceName ? { serviceName } : {}) };
  return `Bearer ${Buffer.from(JSON.stringify(principal)).toString('base64url')}`;
}

function authorizer(auth: DiscoveryAuthOptions = {}): DiscoveryAuthorizer {
  const options = resolveDiscoveryOptions({ auth: { verifier, ...auth } });
  return new DiscoveryAuthorizer(options, options.auth.verifier);
}

describe(DiscoveryAuthorizer.name, () => {
  describe('authenticate', () => {
    it('rejects a missing token with MissingTokenError, also for reads by default', async () => {
      await expect(authorizer().authenticate(undefined, 'write')).rejects.toBeInstanceOf(MissingTokenError);
      await expect(authorizer().authenticate('Basic abc', 'read')).rejects.toBeInstanceOf(MissingTokenError);
    });

    it('lets token-less reads through when anonymous reads are allowed, never writes', async () => {
      const open = authorizer({ allowAnonymousReads: true });
      await expect(open.authenticate(undefined, 'read')).resolves.toMatchObject({ roles: [] });
      await expect(open.authenticate(undefined, 'write')).rejects.toBeInstanceOf(MissingTokenError);
    });

    it('passes security errors through and wraps other verifier failures as UnauthenticatedError', async () => {
      await expect(authorizer().authenticate('Bearer bad', 'read')).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(authorizer().authenticate('Bearer boom', 'read')).rejects.toBeInstanceOf(
        UnauthenticatedError,
      );
    });

    it('needs role Service or Admin for writes, any valid token for reads', async () => {
      await expect(authorizer().authenticate(token(['Reader']), 'read')).resolves.toMatchObject({
        roles: ['Reader'],
      });
      await expect(authorizer().authenticate(token(['Reader']), 'write')).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await expect(authorizer().authenticate(token(['Service'], 'a'), 'write')).resolves.toMatchObject({
        serviceName: 'a',
      });
      await expect(authorizer().authenticate(token(['Admin']), 'write')).resolves.toMatchObject({
        roles: ['Admin'],
      });
    });

    it('allows everything when auth is off', async () => {
      const off = new DiscoveryAuthorizer(resolveDiscoveryOptions({ nodeEnv: 'test' }));
      const caller = await off.authenticate(undefined, 'write');
      expect(() => off.assertMayChange(caller, 'anything')).not.toThrow();
    });
  });

  describe('assertMayChange', () => {
    const principal = (roles: string[], serviceName?: string): MeshPrincipal => ({
      subject: 's',
      roles,
      scopes: [],
      claims: {},
      ...(serviceName ? { serviceName } : {}),
    });

    it('lets a Service change its own service only, and Admin any', () => {
      const auth = authorizer();
      expect(() => auth.assertMayChange(principal(['Service'], 'orders'), 'orders')).not.toThrow();
      expect(() => auth.assertMayChange(principal(['Service'], 'orders'), 'billing')).toThrow(NotOwnerError);
      expect(() => auth.assertMayChange(principal(['Service']), 'orders')).toThrow(NotOwnerError);
      expect(() => auth.assertMayChange(principal(['Admin']), 'billing')).not.toThrow();
    });
  });
});
