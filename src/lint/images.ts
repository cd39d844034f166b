/**
 * What a container image is, from its name: a datastore (and which), or infrastructure that is surely no agent
 * (a proxy, a web server, a database). Used so that labels drawn from ports (5432 is PostgreSQL, 8283 is Letta) are
 * only given where the image does not say otherwise: nginx publishing 4000 is not LiteLLM, Portainer on 9000 is not
 * MinIO.
 */

/** Datastores by image (matched against the repository without registry), with the ports they serve. */
const DATASTORES: ReadonlyArray<{ readonly re: RegExp; readonly name: string; readonly ports: readonly number[] }> = [
  { re: /(?:^|\/)(?:postgres(?:ql)?|postgis|pgvector|timescaledb(?:-ha)?|supabase\/postgres|paradedb|cloudnative-pg|pgvecto-rs)(?:$|[-/])/, name: 'PostgreSQL', ports: [5432] },
  { re: /(?:^|\/)(?:mysql|mariadb|percona(?:-server)?)(?:$|[-/])/, name: 'MySQL', ports: [3306, 33060] },
  { re: /(?:^|\/)(?:redis|redis-stack|redis-stack-server|valkey|keydb|dragonfly(?:db)?)(?:$|[-/])/, name: 'Redis', ports: [6379, 8001] },
  { re: /(?:^|\/)(?:mongo|mongodb|mongodb-community-server)(?:$|[-/])/, name: 'MongoDB', ports: [27017] },
  { re: /(?:^|\/)(?:elasticsearch|opensearch)(?:$|[-/])/, name: 'Elasticsearch', ports: [9200, 9300, 9600] },
  { re: /(?:^|\/)meilisearch(?:$|[-/])/, name: 'Meilisearch', ports: [7700] },
  { re: /(?:^|\/)clickhouse(?:-server)?(?:$|[-/])/, name: 'ClickHouse', ports: [8123, 9000, 9009] },
  { re: /(?:^|\/)minio(?:$|[-/])/, name: 'MinIO', ports: [9000, 9001] },
  { re: /(?:^|\/)qdrant(?:$|[-/])/, name: 'Qdrant', ports: [6333, 6334] },
  { re: /(?:^|\/)milvus(?:db)?(?:$|[-/])|milvus-standalone/, name: 'Milvus', ports: [19530, 9091] },
  { re: /(?:^|\/)weaviate(?:$|[-/])/, name: 'Weaviate', ports: [8080, 50051] },
  { re: /(?:^|\/)chroma(?:db)?(?:$|[-/])/, name: 'Chroma', ports: [8000] },
  { re: /(?:^|\/)neo4j(?:$|[-/])/, name: 'Neo4j', ports: [7474, 7687] },
  { re: /(?:^|\/)(?:cassandra|scylla)(?:$|[-/])/, name: 'Cassandra', ports: [9042] },
  { re: /(?:^|\/)couchdb(?:$|[-/])/, name: 'CouchDB', ports: [5984] },
  { re: /(?:^|\/)etcd(?:$|[-/])/, name: 'etcd', ports: [2379, 2380] },
  { re: /(?:^|\/)(?:oceanbase-ce|oceanbase|seekdb|infinity|gaussdb|opengauss)(?:$|[-/])/, name: 'a database', ports: [] },
];

/** Ports that name a datastore on their own, for images that say nothing (a custom build): 9000 and 8123 are too common. */
const DISTINCTIVE_DATASTORE_PORTS: ReadonlyMap<number, string> = new Map([
  [5432, 'PostgreSQL'],
  [3306, 'MySQL'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [9200, 'Elasticsearch'],
  [7700, 'Meilisearch'],
  [6333, 'Qdrant'],
  [19530, 'Milvus'],
]);

/** Images that are surely neither an agent nor a datastore: proxies, web servers, dashboards, queues, CI. */
const INFRA = /(?:^|\/)(?:nginx|nginx-unprivileged|openresty|angie|caddy|traefik|haproxy|envoy|httpd|apache2?|lighttpd|varnish|squid|oauth2-proxy|authelia|authentik-server|keycloak|portainer(?:-ce|-ee)?|grafana|prometheus|alertmanager|node-exporter|cadvisor|loki|promtail|jaeger|otel-collector|opentelemetry-collector|rabbitmq|kafka|zookeeper|nats|mailhog|mailpit|watchtower|docker|dind|registry|busybox|alpine|curlimages\/curl|certbot|acme\.sh)(?:$|[-/:])/;

/** The datastore an image runs, by name: `PostgreSQL` for `pgvector/pgvector:pg17`. */
export function datastoreImage(repo: string): { readonly name: string; readonly ports: readonly number[] } | undefined {
  let hit = STORE_CACHE.get(repo);
  if (hit === undefined) {
    hit = DATASTORES.find((d) => d.re.test(repo)) ?? null;
    if (STORE_CACHE.size < 20_000) STORE_CACHE.set(repo, hit);
  }
  return hit ?? undefined;
}

/** Every compose rule asks about the same few images: answers kept per run of the process. */
const STORE_CACHE = new Map<string, (typeof DATASTORES)[number] | null>();
const INFRA_CACHE = new Map<string, boolean>();

/** An image that is infrastructure by its name (nginx, Traefik, Grafana …): never an agent, never a datastore. */
export function isInfraImage(repo: string): boolean {
  let hit = INFRA_CACHE.get(repo);
  if (hit === undefined) {
    hit = INFRA.test(repo);
    if (INFRA_CACHE.size < 20_000) INFRA_CACHE.set(repo, hit);
  }
  return hit;
}

/**
 * The datastore a published port exposes: by the image when it names a datastore (any of its ports), by a
 * distinctive port when the image says nothing (a single port, never a range), never for infrastructure or agents.
 */
export function datastorePort(repo: string | undefined, port: { readonly containerPorts: readonly number[] }, knownNonDatastore: boolean, serviceName?: string): { readonly port: number; readonly name: string } | undefined {
  // An image that says nothing (a fork, a custom build) still runs what its service is named for (`minio:`).
  const byImage = (repo !== undefined ? datastoreImage(repo) : undefined) ?? (serviceName !== undefined && (repo === undefined || !isInfraImage(repo)) && !knownNonDatastore ? datastoreImage(serviceName.toLowerCase()) : undefined);
  if (byImage) {
    const own = port.containerPorts.find((c) => byImage.ports.includes(c));
    if (own !== undefined) return { port: own, name: byImage.name };
    const other = port.containerPorts.find((c) => DISTINCTIVE_DATASTORE_PORTS.has(c));
    return other === undefined ? undefined : { port: other, name: DISTINCTIVE_DATASTORE_PORTS.get(other) as string };
  }
  if (knownNonDatastore || (repo !== undefined && isInfraImage(repo)) || port.containerPorts.length !== 1) return undefined;
  const only = port.containerPorts[0] as number;
  const name = DISTINCTIVE_DATASTORE_PORTS.get(only);
  return name === undefined ? undefined : { port: only, name };
}
