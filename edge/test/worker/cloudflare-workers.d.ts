// This test project is typed like edge/src (Node's web globals, `types: ["node"]`), not with
// @cloudflare/workers-types as globals: those clash with @types/node, and edge/src is not written
// against them. What the tests need from workerd's own modules is declared here and in env.d.ts;
// `cloudflare:test` comes from @cloudflare/vitest-pool-workers/types.
declare module 'cloudflare:workers' {
  /** The bindings of the pool's Worker: wrangler.toml plus vitest.worker.config.ts. */
  export const env: Cloudflare.Env;
}
