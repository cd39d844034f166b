/** A Deployment with one container whose body (indented under the container) is given. */
export function deployment(container: string, pod = ''): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${pod}      containers:\n        - name: app\n          image: ghcr.io/o/app:1.2.3\n${container}`;
}

/** Hardened container fields: limits, non-root, read-only root. */
export const HARDENED = '          resources:\n            limits:\n              cpu: "1"\n              memory: 1Gi\n          securityContext:\n            runAsNonRoot: true\n            readOnlyRootFilesystem: true\n            allowPrivilegeEscalation: false\n';
