// A small keep-alive HTTP client on node:http. The load generator shares the CPU with the server
// under test, so it uses the cheapest client Node has (node:http with a keep-alive Agent costs
// less per request than fetch) and reuses its connections.
import http from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
  /** From handing the request to the agent to the last byte of the response. */
  ms: number;
}

export interface RequestOptions {
  body?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, options: { maxSockets?: number } = {}) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port || 80);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const started = performance.now();
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          timeout: options.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('error', reject);
          res.once('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.once('timeout', () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${options.timeoutMs ?? 30_000} ms`)),
      );
      req.once('error', reject);
      req.end(body);
    });
  }

  post(path: string, body: string, headers: Record<string, string>): Promise<HttpResult> {
    return this.request('POST', path, { body, headers });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return this.request('GET', path, { headers });
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}
