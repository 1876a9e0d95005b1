import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app.registry.js';
import { clusterNodes } from '../../src/queue/redis-options.js';

describe('queue configuration', () => {
  it('defaults to Redis with the prefix bull', () => {
    const env = loadAppConfig({ NODE_ENV: 'test' });
    expect(env.QUEUE_BACKEND).toBe('redis');
    expect(env.QUEUE_PREFIX).toBe('bull');
  });

  it('refuses an unknown backend, naming the variable', () => {
    expect(() => loadAppConfig({ QUEUE_BACKEND: 'sqlite' })).toThrow(
      /^Invalid configuration: QUEUE_BACKEND must be redis or postgres \(got "sqlite"\)$/,
    );
  });

  it('needs a hash-tagged prefix on Redis Cluster, and well-formed nodes', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'test', REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2:6379' })).toThrow(
      /QUEUE_PREFIX must contain a hash tag/,
    );
    expect(() => loadAppConfig({ REDIS_CLUSTER_NODES: '10.0.0.1', QUEUE_PREFIX: '{signup}' })).toThrow(
      /REDIS_CLUSTER_NODES must be comma-separated host:port pairs/,
    );
    const env = loadAppConfig({ NODE_ENV: 'test', REDIS_CLUSTER_NODES: '10.0.0.1:6379, redis-2:7000', QUEUE_PREFIX: '{signup}' });
    expect(clusterNodes(env.REDIS_CLUSTER_NODES!)).toEqual([
      { host: '10.0.0.1', port: 6379 },
      { host: 'redis-2', port: 7000 },
    ]);
  });

  it('ignores the cluster rule in postgres mode, where Redis is not used', () => {
    expect(loadAppConfig({ NODE_ENV: 'test', QUEUE_BACKEND: 'postgres', REDIS_CLUSTER_NODES: 'a:1' }).QUEUE_BACKEND).toBe('postgres');
  });
});
