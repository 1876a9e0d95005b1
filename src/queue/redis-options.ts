import type { RedisOptions } from 'bullmq';
import { Cluster } from 'ioredis';

/** BullMQ's connection for REDIS_URL, reconnecting through an outage at most every 2 s. */
export const redisOptions = (url: string): RedisOptions => ({
  url,
  retryStrategy: (times: number) => Math.min(times * 200, 2000),
});

/** `host:port,host:port` → ioredis cluster seed nodes. */
export function clusterNodes(list: string): Array<{ host: string; port: number }> {
  return list.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host, port: Number(port) };
  });
}

/**
 * A Redis Cluster client for REDIS_CLUSTER_NODES, with REDIS_URL's credentials and TLS for every
 * node. `blocking`: for BullMQ (commands wait through a failover instead of failing).
 */
export function redisCluster(nodes: string, url: string, { forBullMq }: { forBullMq: boolean }): Cluster {
  const { username, password, protocol } = new URL(url);
  return new Cluster(clusterNodes(nodes), {
    clusterRetryStrategy: (times: number) => Math.min(times * 200, 2000),
    enableOfflineQueue: forBullMq,
    redisOptions: {
      username: username ? decodeURIComponent(username) : undefined,
      password: password ? decodeURIComponent(password) : undefined,
      tls: protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: forBullMq ? null : 1,
    },
  });
}
