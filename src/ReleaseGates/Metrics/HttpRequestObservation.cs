using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReleaseGates.Metrics;

/// <summary>One HTTP request as the runtime's metrics describe it.</summary>
/// <param name="Source">Server or client.</param>
/// <param name="Method">The request method (<c>http.request.method</c>).</param>
/// <param name="Route">The route template (<c>http.route</c>) for servers, or <c>server.address</c> for clients; empty when unknown.</param>
/// <param name="StatusCode">The response status (<c>http.response.status_code</c>); 0 when there was no response.</param>
/// <param name="ErrorType">The <c>error.type</c> tag, set when the request failed (an exception name or a status code).</param>
/// <param name="Duration">The request duration.</param>
public readonly record struct HttpRequestObservation(HttpMetricSource Source, string Method, string Route, int StatusCode,
    string? ErrorType, TimeSpan Duration);
