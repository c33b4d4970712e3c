import { classifyError, cleanRemoteText, type HostFailure } from './host-failure.ts';
import { fingerprint, keyTypeOf, knownHostsName, type HostKeyVerdict } from './known-hosts.ts';

/** What an ssh failure is explained with. */
export interface SshContext {
  host: string;
  port: number;
  user: string;
  /** The known_hosts file checked. */
  knownHosts: string;
  /** Where our key came from, in words ("the key in DOCKPEEK_SSH_KEY (/path)"); never the key. */
  keySource: string;
  /** The host-key algorithms offered, when narrowed to the types known_hosts holds. */
  algorithms: string[];
  /** What the host verifier decided, and the key it saw. */
  verdict?: HostKeyVerdict;
  presented?: Buffer;
}

/** An ssh2 error (or our verifier's refusal) as a coded failure with the fix in the message. */
export function explainSshError(error: unknown, ctx: SshContext): HostFailure {
  const e = error as { level?: string; message?: string; code?: string };
  const where = `${ctx.host}:${ctx.port}`;
  if (ctx.verdict && ctx.verdict.verdict !== 'known' && ctx.presented)
    return hostKeyFailure(ctx.verdict, ctx.presented, ctx);
  if (ctx.algorithms.length && /no matching host key/i.test(e.message ?? '')) {
    return {
      code: 'ssh_host_changed',
      message: `the ssh host ${where} offers no key of the type(s) ${ctx.knownHosts} holds for it (${ctx.algorithms.join(', ')}): this may be a man-in-the-middle attack; if the host was reinstalled, check its new key's fingerprint on it and replace the entry`,
    };
  }
  if (e.level === 'client-authentication') {
    return {
      code: 'ssh_auth_failed',
      message: `the ssh server ${where} refused user "${ctx.user}" with ${ctx.keySource}: add the public key to that user's ~/.ssh/authorized_keys on the host`,
    };
  }
  if (e.level === 'client-timeout')
    return { code: 'timeout', message: `no ssh handshake with ${where} in time` };
  if (e.code && typeof e.code === 'string') {
    const failure = classifyError(error);
    if (failure.code !== 'host_error') return failure;
  }
  return {
    code: 'ssh_error',
    message: `ssh to ${where}: ${cleanRemoteText(e.message ?? String(error))}`,
  };
}

function hostKeyFailure(verdict: HostKeyVerdict, key: Buffer, ctx: SshContext): HostFailure {
  const name = knownHostsName(ctx.host, ctx.port);
  const offered = `${keyTypeOf(key)} ${fingerprint(key)}`;
  const keyscan = `ssh-keyscan -p ${ctx.port} ${ctx.host} >> ${ctx.knownHosts}`;
  if (verdict.verdict === 'unknown') {
    const caOnly = verdict.caOnly
      ? ' (only a @cert-authority line names it; host certificates are not supported)'
      : '';
    return {
      code: 'ssh_host_unknown',
      message: `the ssh host key of ${name} is not in ${ctx.knownHosts}${caOnly}; it offered ${offered}. Check that fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then add it: ${keyscan}`,
    };
  }
  if (verdict.verdict === 'revoked') {
    return {
      code: 'ssh_host_changed',
      message: `the ssh host ${name} offered ${offered}, which ${ctx.knownHosts} marks @revoked (line ${verdict.line}): refused; this may be a man-in-the-middle attack`,
    };
  }
  const lines = verdict.verdict === 'changed' ? verdict.lines.join(', ') : '';
  return {
    code: 'ssh_host_changed',
    message: `the ssh host key of ${name} has changed: it offered ${offered}, not the key ${ctx.knownHosts} holds (line ${lines}). This may be a man-in-the-middle attack. If the host was reinstalled, check the new fingerprint on it, then: ssh-keygen -R '${name}' -f ${ctx.knownHosts} && ${keyscan}`,
  };
}
