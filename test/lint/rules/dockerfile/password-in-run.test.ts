import { rule } from '../../../../src/lint/rules/dockerfile/password-in-run.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'user without password', file: 'Dockerfile', text: 'FROM debian:12\nRUN useradd -r -u 10001 app\n' },
    { name: 'x11vnc with a password from a variable or a file', file: 'Dockerfile', text: 'FROM debian:12\nRUN x11vnc -storepasswd "$VNC_PASSWORD" /etc/vncpasswd\nCMD x11vnc -rfbauth /etc/vncpasswd\n' },
    { name: 'password from a secret mount', file: 'Dockerfile', text: 'FROM debian:12\nRUN --mount=type=secret,id=pw tool --password="$(cat /run/secrets/pw)"\n' },
  ],
  invalid: [
    { name: 'chpasswd', file: 'Dockerfile', text: 'FROM debian:12\nRUN echo "root:toor" | chpasswd\n', at: ['2:24'] },
    { name: 'x11vnc -storepasswd with a literal (computer-use desktops)', file: 'Dockerfile', text: 'FROM ubuntu:24.04\nRUN mkdir -p ~/.vnc && x11vnc -storepasswd secret ~/.vnc/passwd\n', at: [2], message: 'x11vnc' },
    { name: 'a literal piped into vncpasswd', file: 'Dockerfile', text: 'FROM ubuntu:24.04\nRUN echo "agent123" | vncpasswd -f > /root/.vnc/passwd\n', at: [2], message: 'vncpasswd' },
    { name: 'mysql -p', file: 'Dockerfile', text: 'FROM mysql:8\nRUN mysql -uroot -psecret123 -e "select 1"\n', at: [2] },
  ],
});
