import type { HostFailure } from './host-failure.ts';

// OpenSSL's verification results (Node puts them in error.code) that mean "not signed by our CA".
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
]);
const EXPIRED = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/** A TLS failure in words a user can act on; undefined when the code is not a TLS one. */
export function explainTlsError(code: string | undefined): HostFailure | undefined {
  if (!code) return undefined;
  if (UNTRUSTED.has(code)) {
    return {
      code: 'tls_untrusted',
      message: `the host's TLS certificate is not signed by the CA we trust (${code}): DOCKER_CERT_PATH/ca.pem must be the CA that signed the daemon's --tlscert`,
    };
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'ERROR_IN_CERT_NOT_AFTER_FIELD') {
    return {
      code: 'tls_expired',
      message: `the host's TLS certificate has expired (${code}): renew the daemon's --tlscert (and check both clocks)`,
    };
  }
  if (EXPIRED.has(code)) {
    return {
      code: 'tls_expired',
      message: `the host's TLS certificate is not valid yet (${code}): check the clocks of both machines`,
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return {
      code: 'tls_error',
      message: `the host's TLS certificate is for another name (${code}): use the name or IP address its subjectAltName lists in the host URL`,
    };
  }
  if (/ALERT_CERTIFICATE_EXPIRED/.test(code)) {
    return {
      code: 'tls_expired',
      message: `the host refused our client certificate as expired (${code}): make a new cert.pem signed by the daemon's CA`,
    };
  }
  if (
    /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|ACCESS_DENIED)/.test(
      code,
    )
  ) {
    return {
      code: 'tls_error',
      message: `the host refused our client certificate (${code}): cert.pem in DOCKER_CERT_PATH must be signed by the CA the daemon's --tlscacert names`,
    };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return {
      code: 'tls_error',
      message: `the host does not speak TLS on this port (${code}): use tcp:// without DOCKER_TLS_VERIFY, or the daemon's TLS port`,
    };
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return { code: 'tls_error', message: `TLS handshake failed (${code})` };
  }
  return undefined;
}
