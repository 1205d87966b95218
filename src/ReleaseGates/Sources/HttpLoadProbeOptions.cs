using System.Diagnostics;
using ReleaseGates.Metrics;

namespace ReleaseGates;

/// <summary>Options of the bounded HTTP load probe. Every run is capped in requests and in time.</summary>
public sealed class HttpLoadProbeOptions
{
    /// <summary>The most requests one run may send, whatever <see cref="Requests"/> says.</summary>
    public const int MaximumRequests = 1_000_000;

    /// <summary>
    /// Open model: how long after coming due a request may still take a connection that frees (its wait counted in its
    /// latency); a request that finds none free by then is dropped at the <see cref="Concurrency"/> limit: 50 ms. It also
    /// keeps a worker thread that a busy machine did not run for a few milliseconds from dropping requests.
    /// </summary>
    public static readonly TimeSpan DropAfter = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest one run may take, whatever <see cref="Duration"/> says.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromMinutes(10);

    /// <summary>The URLs to send requests to, round robin. Required; http or https.</summary>
    public IList<Uri> Targets { get; private set; } = [];

    /// <summary>The HTTP method. Default: GET.</summary>
    public HttpMethod Method { get; set; } = HttpMethod.Get;

    /// <summary>Headers sent with every request (an API key, <c>Accept</c>); content headers go on the body. Default: none.</summary>
    public IDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request body sent with every request (for a <c>POST /api/screener/filter</c>), or <see langword="null"/> for none. Default: none.</summary>
    public string? Body { get; set; }

    /// <summary>The media type of <see cref="Body"/>. Default: <c>application/json</c>.</summary>
    public string BodyContentType { get; set; } = "application/json";

    /// <summary>
    /// Requests in flight at once: each a worker with its own connection. In the closed loop (no
    /// <see cref="RequestsPerSecond"/>) exactly this many, each sending its next request when the last one answered. In the
    /// open model the most there may be: a request that comes due while all are busy (a slow or stalled server) is dropped,
    /// and a run with drops is inconclusive, so set it to at least the rate times the longest response you want measured
    /// (200 a second through a 500 ms stall: 100). Default: 4; 1 to 256.
    /// </summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// The open model's arrival rate: requests are scheduled at this many a second whatever the responses do, and each
    /// request's latency is measured from the moment it came due, not the moment it was sent, so a server that stalls is
    /// charged for every request the stall delayed (no coordinated omission). A request that finds none of the
    /// <see cref="Concurrency"/> connections free within <see cref="DropAfter"/> of coming due is dropped, and a run with
    /// drops is inconclusive. Default: none, and the probe runs the closed loop. Greater than 0, at most 1,000,000.
    /// </summary>
    public double? RequestsPerSecond { get; set; }

    /// <summary>
    /// With <see cref="RequestsPerSecond"/>: the time over which the arrival rate rises linearly from zero to it; requests
    /// in the ramp are measured too. Default: none (the full rate from the start).
    /// </summary>
    public TimeSpan? RampUp { get; set; }

    /// <summary>
    /// How many measured requests to send (in the open model: to schedule), warm-up excluded. Default: 200. At most
    /// <see cref="MaximumRequests"/>.
    /// </summary>
    public int? Requests { get; set; } = 200;

    /// <summary>
    /// How long to send requests (in the open model: to schedule them; the requests already due are then answered, dropped
    /// or timed out, which takes at most <see cref="RequestTimeout"/> more). Default: none (the request count bounds the
    /// run). At most <see cref="MaximumDuration"/>.
    /// </summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>
    /// Requests sent first and not measured (connection set-up, JIT, caches), spread over the <see cref="Concurrency"/>
    /// workers, which send them at once, each going through the targets in turn: with at least <see cref="Concurrency"/>
    /// × the number of targets, every connection is open before the measurement starts. Default: 10.
    /// </summary>
    public int WarmupRequests { get; set; } = 10;

    /// <summary>
    /// The timeout of one request; a timed-out request is an error. In the open model it counts from the moment the request
    /// was scheduled. Default: 10 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Which responses are errors. Default: any status outside 2xx: a redirect is not followed (it is not the page meant
    /// to be measured, and a redirect loop never succeeds), and a 4xx nobody expected is a broken endpoint. Set it to accept
    /// what you expect (<c>r =&gt; (int)r.StatusCode &gt;= 500</c>). Requests that get no response are always errors.
    /// </summary>
    public Func<HttpResponseMessage, bool> IsError { get; set; } = DefaultIsError;

    /// <summary>
    /// The client to send with (for example one with an in-process test server's handler). Default: none, and then the
    /// probe sends plain-HTTP requests to a loopback address (<c>http://127.0.0.1:…</c>, <c>http://[::1]:…</c>) over its own
    /// keep-alive HTTP/1.1 connections, one per worker, which cost a fraction of <see cref="HttpClient"/>'s CPU per
    /// request (on a machine shared with the server under test, that is throughput the server gets), as long as
    /// <see cref="IsError"/> is the default and no header needs <see cref="HttpClient"/>'s framing; anything else goes
    /// through a client over a <see cref="SocketsHttpHandler"/> with one pooled connection per worker, created per run.
    /// Set a client to have every request go through it.
    /// </summary>
    public HttpClient? Client { get; set; }

    /// <summary>The window interval of the per-interval counts. Default: 1 second.</summary>
    public TimeSpan WindowInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Told the number of completed requests (warm-up excluded) after each one, e.g. to draw a progress bar. Default: none.</summary>
    public IProgress<long>? Progress { get; set; }

    /// <summary>The default <see cref="IsError"/>: any status outside 2xx.</summary>
    internal static readonly Func<HttpResponseMessage, bool> DefaultIsError = response => (int)response.StatusCode is < 200 or >= 300;

    /// <summary>A copy that shares no mutable state with these options.</summary>
    internal HttpLoadProbeOptions Copy()
    {
        var copy = (HttpLoadProbeOptions)MemberwiseClone();
        copy.Targets = [.. Targets];
        copy.Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        return copy;
    }

    internal void Validate(ICollection<string> problems)
    {
        if (Targets.Count == 0 || Targets.Any(t => t is null || !t.IsAbsoluteUri || t.Scheme is not ("http" or "https")))
        {
            problems.Add("LoadProbe.Targets must list at least one absolute http or https URL.");
        }

        if (Method is null || IsError is null || string.IsNullOrWhiteSpace(BodyContentType))
        {
            problems.Add("LoadProbe: Method, IsError and BodyContentType must be set.");
        }

        if (Concurrency is < 1 or > 256)
        {
            problems.Add($"LoadProbe.Concurrency must be 1 to 256, but was {Concurrency}.");
        }

        if (Requests is null && Duration is null)
        {
            problems.Add("LoadProbe: set Requests, Duration or both: a load probe is always bounded.");
        }

        if (Requests is < 1 or > MaximumRequests)
        {
            problems.Add($"LoadProbe.Requests must be 1 to {MaximumRequests}, but was {Requests}.");
        }

        if (Duration is { } d && (d <= TimeSpan.Zero || d > MaximumDuration))
        {
            problems.Add($"LoadProbe.Duration must be positive and at most {MaximumDuration}, but was {d}.");
        }

        ValidateOpenModel(problems);
        if (WarmupRequests is < 0 or > 100_000 || RequestTimeout <= TimeSpan.Zero || WindowInterval < TimeSpan.FromMilliseconds(10))
        {
            problems.Add("LoadProbe: WarmupRequests must be 0 to 100000, RequestTimeout positive and WindowInterval at least 10 ms.");
        }
    }

    private void ValidateOpenModel(ICollection<string> problems)
    {
        if (RequestsPerSecond is not { } rate)
        {
            if (RampUp is not null)
            {
                problems.Add("LoadProbe.RampUp needs RequestsPerSecond: the closed loop has no arrival rate to ramp.");
            }

            return;
        }

        if (!double.IsFinite(rate) || rate <= 0 || rate > 1_000_000)
        {
            problems.Add($"LoadProbe.RequestsPerSecond must be greater than 0 and at most 1000000, but was {rate}.");
            return;
        }

        if (RampUp is { } ramp && (ramp < TimeSpan.Zero || ramp > MaximumDuration))
        {
            problems.Add($"LoadProbe.RampUp must be zero to {MaximumDuration}, but was {ramp}.");
            return;
        }

        if (Duration is null && Requests is { } requests
            && ArrivalSchedule.Offset(requests - 1, rate, RampUp ?? TimeSpan.Zero) > MaximumDuration.TotalSeconds)
        {
            problems.Add($"LoadProbe: {requests} requests at {rate} a second would take longer than {MaximumDuration}; "
                + "lower Requests or raise RequestsPerSecond.");
        }
    }
}
