namespace ReleaseGates;

/// <summary>Options of the smoke-endpoint gate (<c>AddSmokeTests</c>). See <c>docs/gates/smoke-tests.md</c>.</summary>
public sealed class SmokeTestsGateOptions : GateOptions
{
    /// <summary>Creates the options with the gate's defaults: category <see cref="GateCategories.Operations"/>.</summary>
    public SmokeTestsGateOptions() => Category = GateCategories.Operations;

    /// <summary>The address relative paths are resolved against, e.g. <c>https://staging.example.com/</c>. Required unless every path is absolute.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The requests and their expectations.</summary>
    public IList<SmokeRequest> Requests { get; private set; } = [];

    /// <summary>How many requests run at once. Default: 4; 1 to 64.</summary>
    public int MaximumConcurrency { get; set; } = 4;

    /// <summary>How requests are sent: client, retries, timeouts, redirects, body cap.</summary>
    public HttpProbeOptions Probe { get; private set; } = new();

    /// <inheritdoc />
    protected internal override void Validate(ICollection<string> problems)
    {
        base.Validate(problems);
        if (Requests.Count == 0)
        {
            problems.Add($"{nameof(Requests)} is empty: add SmokeRequest.Get(\"/health\").ExpectStatus(200) or similar.");
        }

        if (BaseAddress is not null && !BaseAddress.IsAbsoluteUri)
        {
            problems.Add($"{nameof(BaseAddress)} must be absolute, but was '{BaseAddress}'.");
        }

        foreach (var request in Requests)
        {
            if (BaseAddress is null && !Uri.TryCreate(request.Path, UriKind.Absolute, out _))
            {
                problems.Add($"'{request.Name}' has a relative path and there is no {nameof(BaseAddress)}.");
            }

            if (request.RateLimitWithin is < 2 or > 1000)
            {
                problems.Add($"'{request.Name}': a rate limit is looked for within 2 to 1,000 requests, but {request.RateLimitWithin} were asked.");
            }

            if (request.MaximumLatency is { } latency && latency <= TimeSpan.Zero)
            {
                problems.Add($"'{request.Name}': the maximum latency must be above zero, but was {latency}.");
            }

            foreach (var path in request.JsonEquals.Keys.Concat(request.JsonExists.Keys).Concat(request.Captures.Values).Where(p =>
                !JsonPath.TryParse(p, out _)))
            {
                problems.Add($"'{request.Name}': '{path}' is not a JSON path such as $.status or $.items[0].id.");
            }

            foreach (var (path, kind) in request.JsonExists.Where(e => !SmokeRequest.JsonKinds.Contains(e.Value, StringComparer.Ordinal)))
            {
                problems.Add($"'{request.Name}': the kind of {path} must be one of {string.Join(", ", SmokeRequest.JsonKinds)}, but was '{kind}'.");
            }
        }

        ValidateCaptures(problems);

        foreach (var duplicate in Requests.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Two requests are named '{duplicate.Key}': name one with .Named(\"...\").");
        }

        if (MaximumConcurrency is < 1 or > 64)
        {
            problems.Add($"{nameof(MaximumConcurrency)} must be 1 to 64, but was {MaximumConcurrency}.");
        }

        Probe.Validate(problems);
    }

    /// <summary>Every variable is a plain name, and every <c>{{name}}</c> a request uses was captured by an earlier request.</summary>
    private void ValidateCaptures(ICollection<string> problems)
    {
        var captured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in Requests)
        {
            foreach (var variable in SmokeVariables.Referenced(request).Where(v => !captured.Contains(v)))
            {
                problems.Add($"'{request.Name}' uses {{{{{variable}}}}}, which no earlier request captures (add .Capture(\"{variable}\", \"$.path\") to one before it).");
            }

            foreach (var variable in request.Captures.Keys)
            {
                if (!SmokeVariables.IsName(variable))
                {
                    problems.Add($"'{request.Name}': the variable name '{variable}' must be letters, digits, '_' or '-'.");
                }

                captured.Add(variable);
            }
        }
    }

    internal override IEnumerable<string?> Secrets =>
        Requests.Where(r => r is not null).SelectMany(r => r.Headers).Where(h => IO.Redaction.IsCredentialHeader(h.Key)).Select(h => h.Value);

    /// <inheritdoc />
    protected internal override GateOptions Clone()
    {
        var copy = (SmokeTestsGateOptions)base.Clone();
        copy.Requests = [.. Requests.Select(r => r?.Copy()!)];
        copy.Probe = Probe.Copy();
        return copy;
    }
}
