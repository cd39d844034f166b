/**
 * Who this tool is on the registry and the web. The binary is `agentsec`, but the npm name `agentsec` belongs to an
 * unrelated package with a bin of the same name: every install line, `npx` call and link in reports must name
 * {@link PACKAGE_NAME} explicitly, or it downloads and runs someone else's code. A test keeps package.json and the
 * documentation in line with these values.
 */
export const PACKAGE_NAME = 'agentsec-server';

/** The binary the package installs. */
export const BIN_NAME = 'agentsec';

/** The project's home: SARIF `informationUri`, package.json `homepage`. */
export const PROJECT_URL = 'https://github.com/agentsec-server/agentsec-server';

/** Where bugs are reported (package.json `bugs`). Vulnerabilities go through SECURITY.md instead. */
export const ISSUES_URL = `${PROJECT_URL}/issues`;
