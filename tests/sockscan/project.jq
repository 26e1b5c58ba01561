# The fields of a finding the fixture test asserts, in a stable order.
[.findings[] | {file, line, direction, api, protocol, app_protocol, host, port,
                binding, resolution, service}]
| sort_by(.file, .line, .api, .service)
