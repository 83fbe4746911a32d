import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { platform } from './platform';

/**
 * Options of the read-only git server.
 *
 * @public
 */
export interface GitServerOptions {
  /** A working tree or a bare repository. */
  repo: string;
  /** Address to listen on (an IP; `0.0.0.0` for all). */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** URL path of the repository, default `mini-atlas.git`. */
  urlPath?: string;
  /** Called with one line per request and per problem. */
  log?: (line: string) => void;
}

/**
 * A running git server.
 *
 * @public
 */
export interface RunningGitServer {
  /** Clone URL, e.g. `http://172.18.0.1:8470/mini-atlas.git`. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The path below the repository URL that a read-only smart (and dumb) HTTP client may ask
 * for. Anything else, including `git-receive-pack`, is refused.
 */
const readOnlyPaths =
  /^\/(HEAD|info\/refs|objects\/info\/(alternates|http-alternates|packs)|objects\/[0-9a-f]{2}\/[0-9a-f]{38,62}|objects\/pack\/pack-[0-9a-f]{40,64}\.(pack|idx)|git-upload-pack)$/;

/**
 * Starts a read-only git smart-HTTP server for one repository: Node `http` in front of
 * `git http-backend` run as a CGI program (`GIT_HTTP_EXPORT_ALL`, `http.receivepack=false`).
 * Pushes (`git-receive-pack`) are answered with 403 before git is asked.
 *
 * @public
 */
export async function startGitServer(
  options: GitServerOptions,
): Promise<RunningGitServer> {
  const urlPath = `/${options.urlPath ?? platform.gitServer.repoPath}`;
  const log = options.log ?? (() => {});
  const gitDir = await resolveGitDir(options.repo);
  const projectRoot = path.dirname(gitDir);
  const repoSegment = `/${path.basename(gitDir)}`;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://git.invalid');
    const service = url.searchParams.get('service');
    const done = (status: number, text: string) => {
      log(`${req.method} ${url.pathname}${url.search} ${status}`);
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };

    if (!url.pathname.startsWith(`${urlPath}/`)) {
      done(404, `Not found. The repository is served at ${urlPath}`);
      return;
    }
    const rest = url.pathname.slice(urlPath.length);
    if (rest === '/git-receive-pack' || service === 'git-receive-pack') {
      done(403, 'This git server is read-only: push is refused.');
      return;
    }
    if (
      !readOnlyPaths.test(rest) ||
      (service !== null && service !== 'git-upload-pack')
    ) {
      done(404, 'Not found.');
      return;
    }
    const isRpc = rest === '/git-upload-pack';
    if (
      isRpc
        ? req.method !== 'POST'
        : req.method !== 'GET' && req.method !== 'HEAD'
    ) {
      done(405, 'Method not allowed.');
      return;
    }

    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // Inherited GIT_* variables (e.g. GIT_DIR from a hook) would point git elsewhere.
      if (!key.startsWith('GIT_')) env[key] = value;
    }
    Object.assign(env, {
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'false',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
      SERVER_SOFTWARE: 'mini-atlas-git-server',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: `${repoSegment}${rest}`,
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
    });
    if (req.headers['content-type'])
      env.CONTENT_TYPE = req.headers['content-type'];
    if (req.headers['content-length'])
      env.CONTENT_LENGTH = req.headers['content-length'];
    for (const [name, value] of Object.entries(req.headers)) {
      // HTTP_GIT_PROTOCOL (protocol v2) and HTTP_CONTENT_ENCODING (gzip bodies) matter to git.
      if (value !== undefined) {
        env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = Array.isArray(
          value,
        )
          ? value.join(', ')
          : value;
      }
    }

    const cgi = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    cgi.stderr.setEncoding('utf8');
    cgi.stderr.on('data', chunk => {
      stderr += chunk;
    });
    cgi.on('error', error => {
      log(`git http-backend could not start: ${error.message}`);
      if (!res.headersSent) done(500, 'git http-backend could not start.');
    });
    cgi.stdin.on('error', () => {});
    req.pipe(cgi.stdin);
    req.on('aborted', () => cgi.kill());

    relayCgiResponse(cgi.stdout, res, status => {
      log(`${req.method} ${url.pathname}${url.search} ${status}`);
    });
    cgi.on('close', code => {
      if (code !== 0 && stderr.trim())
        log(`git http-backend: ${stderr.trim()}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('git http-backend failed.\n');
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}${urlPath}`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Relays a CGI response (header lines, blank line, body) to an HTTP response.
 */
function relayCgiResponse(
  stdout: NodeJS.ReadableStream,
  res: http.ServerResponse,
  onStatus: (status: number) => void,
): void {
  let head = Buffer.alloc(0);
  let headerDone = false;
  stdout.on('data', (chunk: Buffer) => {
    if (headerDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const match = /\r?\n\r?\n/.exec(head.toString('latin1'));
    if (!match) return;
    headerDone = true;
    const headerText = head.subarray(0, match.index).toString('latin1');
    const body = head.subarray(match.index + match[0].length);
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    onStatus(status);
    res.writeHead(status, headers);
    if (body.length > 0) res.write(body);
  });
  stdout.on('end', () => {
    if (headerDone) res.end();
  });
}

/** The repository's git directory (the repo itself when bare). */
async function resolveGitDir(repo: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', [
      '-C',
      repo,
      'rev-parse',
      '--absolute-git-dir',
    ]);
    return stdout.trim();
  } catch (error) {
    throw new Error(
      `${repo} is not a git repository (or git is missing): ${String(error)}`,
    );
  }
}
