# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Matches CLIENT_ARGUMENT_SPEC in plugins/module_utils/inference/transport.py and
    # LOAD_ARGUMENT_SPEC in plugins/module_utils/inference/latency.py.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    details: The module only reads from the server (readiness, metadata and inference requests), so it runs the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  url:
    description:
      - Base URL of the model server REST endpoint, for example V(http://127.0.0.1:8080) or V(https://model.example.com).
    type: str
    required: true
  model:
    description:
      - Name of the model as the server knows it.
    type: str
    required: true
  timeout:
    description:
      - Seconds to keep retrying the readiness checks before failing.
      - Connection failures, timeouts, HTTP 404 and HTTP 5xx answers are retried; TLS failures and other errors are not.
      - V(0) checks once.
    type: float
    default: 60
  poll_interval:
    description:
      - Seconds between two readiness attempts.
    type: float
    default: 1
  request_timeout:
    description:
      - Timeout in seconds of each HTTP request.
    type: float
    default: 10
  load:
    description:
      - Send the same request repeatedly and report latency percentiles in RV(load).
      - Requests go only to O(url); the count and the duration are bounded.
    type: dict
    suboptions:
      requests:
        description:
          - Number of requests to send, at most 10000.
        type: int
        required: true
      concurrency:
        description:
          - Number of threads sending requests, at most 32.
        type: int
        default: 1
      max_duration:
        description:
          - No new request starts after this many seconds, at most 600.
        type: float
        default: 60
      max_errors:
        description:
          - Fail when more requests than this failed.
        type: int
        default: 0
  validate_certs:
    description:
      - Verify the server's TLS certificate.
      - Only set to V(false) for a test server you control.
    type: bool
    default: true
  ca_cert:
    description:
      - Path of a PEM file with the CA certificates that sign the server certificate.
    type: path
    aliases: [ca_path]
  token:
    description:
      - Bearer token sent in the C(Authorization) header, for example for a KServe endpoint behind an auth proxy.
    type: str
  use_proxy:
    description:
      - Use the proxy set in the C(http_proxy), C(https_proxy) and C(no_proxy) environment variables
        (set them with the C(environment) keyword).
    type: bool
    default: true
"""
