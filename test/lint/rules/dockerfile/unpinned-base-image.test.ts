import { rule } from '../../../../src/lint/rules/dockerfile/unpinned-base-image.js';
import { ruleTable } from '../../support.js';

ruleTable(rule, {
  valid: [
    { name: 'tagged', file: 'Dockerfile', text: 'FROM node:22.11-bookworm-slim\n' },
    { name: 'stage alias and scratch', file: 'Dockerfile', text: 'FROM golang:1.23 AS build\nFROM build AS test\nFROM scratch\n' },
    { name: 'ARG default with a tag', file: 'Dockerfile', text: 'ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-alpine\n' },
    { name: 'digest', file: 'Dockerfile', text: 'FROM gcr.io/distroless/base-debian12@sha256:76b3162a31477bca4a245b836c624f4c4a1a3705e99b9003907d992bec2c4bca\n' },
  ],
  invalid: [
    { name: 'untagged', file: 'Dockerfile', text: 'FROM ubuntu\n', at: ['1:1'], message: 'no tag' },
    { name: 'latest', file: 'Dockerfile', text: 'FROM python:3.12 AS build\nFROM alpine:latest\n', at: [2] },
    { name: 'ARG default untagged', file: 'Dockerfile', text: 'ARG BASE=debian\nFROM ${BASE}\n', at: [2] },
  ],
});
