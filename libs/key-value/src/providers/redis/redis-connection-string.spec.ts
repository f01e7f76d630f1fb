import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { redisOptionsFromConnectionString } from './redis-connection-string.js';

const KEY = 'Mesh__KeyValue__Redis__ConnectionString';

describe('redisOptionsFromConnectionString', () => {
  it('passes a URL through', () => {
    expect(redisOptionsFromConnectionString(KEY, ' redis://cache:6379/2 ')).toEqual({
      url: 'redis://cache:6379/2',
    });
    expect(redisOptionsFromConnectionString(KEY, 'redis-cluster://a:1,b:2')).toEqual({
      url: 'redis-cluster://a:1,b:2',
    });
  });

  it('reads the .NET default "localhost:6379" as a standalone URL', () => {
    expect(redisOptionsFromConnectionString(KEY, 'localhost:6379')).toEqual({
      url: 'redis://localhost:6379',
    });
  });

  it('maps password, user, ssl and defaultDatabase (option names in any case)', () => {
    expect(
      redisOptionsFromConnectionString(
        KEY,
        'cache,Password=p@ss,user=app,SSL=true,defaultDatabase=3,abortConnect=false',
      ),
    ).toEqual({ url: 'rediss://app:p%40ss@cache:6379', database: 3 });
  });

  it('reads serviceName as Sentinel', () => {
    expect(
      redisOptionsFromConnectionString(KEY, 's1:26379,s2:26379,serviceName=mymaster,password=pw'),
    ).toEqual({
      sentinel: {
        sentinels: ['s1:26379', 's2:26379'],
        name: 'mymaster',
        username: undefined,
        password: 'pw',
      },
      database: undefined,
    });
  });

  it('reads several endpoints without serviceName as cluster seeds', () => {
    expect(redisOptionsFromConnectionString(KEY, 'n1:7000,n2:7001')).toEqual({
      cluster: { nodes: ['n1:7000', 'n2:7001'], username: undefined, password: undefined },
      database: undefined,
    });
  });

  it('throws MeshConfigError naming the variable when there is no endpoint or a bad database', () => {
    expect(() => redisOptionsFromConnectionString(KEY, 'password=x')).toThrow(MeshConfigError);
    expect(() => redisOptionsFromConnectionString(KEY, 'password=x')).toThrow(KEY);
    expect(() => redisOptionsFromConnectionString(KEY, 'h:1,defaultDatabase=-2')).toThrow(/defaultDatabase/);
  });
});
