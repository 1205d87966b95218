namespace ReleaseGates;

/// <summary>The data of a successful Prometheus query: a scalar, or a vector or matrix of series.</summary>
/// <param name="ResultType"><c>scalar</c>, <c>vector</c>, <c>matrix</c> or <c>string</c>.</param>
/// <param name="Series">The series of a vector (one sample each) or matrix; for a scalar, one series without labels.</param>
/// <param name="Warnings">The server's warnings, if any.</param>
internal sealed record PrometheusResult(string ResultType, IReadOnlyList<PrometheusSeries> Series, IReadOnlyList<string> Warnings);
