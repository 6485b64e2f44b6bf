/** The security headers of every answer (security-headers.js); `dev` adds eval for HMR. */
export function securityHeaders(dev: boolean): { key: string; value: string }[];
