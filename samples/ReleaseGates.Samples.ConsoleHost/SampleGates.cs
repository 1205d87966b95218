using System.Net.Http.Json;
using System.Text.Json;

namespace ReleaseGates.Samples.ConsoleHost;

/// <summary>
/// A custom gate written against the public API: what an application team writes for checks the library does not ship.
/// It holds its evidence to a condition and lets the evidence decide the status.
/// </summary>
internal static class SampleGates
{
    /// <summary>The version the running service reports must be the version being released.</summary>
    public static IReleaseGate DeployedVersion(HttpClient client, string expected) => new DelegateGate(async (_, ct) =>
    {
        JsonElement body;
        try
        {
            body = await client.GetFromJsonAsync<JsonElement>("api/version", ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return GateResult.Error($"GET api/version failed: {ex.Message}", ex);
        }

        var deployed = body.TryGetProperty("version", out var v) ? v.GetString() : null;
        var finding = deployed == expected ? null : new Finding("version.mismatch", FindingSeverity.Error, $"The service runs {deployed ?? "(no version)"}, but {expected} is being released.") { Observed = deployed };
        return GateResult.FromEvidence($"deployed {deployed}, releasing {expected}", [], finding is null ? [] : [finding]);
    });

    private sealed class DelegateGate(Func<GateContext, CancellationToken, ValueTask<GateResult>> evaluate) : IReleaseGate
    {
        public ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) => evaluate(context, cancellationToken);
    }
}
