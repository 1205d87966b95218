namespace ReleaseGates.IntegrationTests.Support;

/// <summary>
/// The Prometheus server of <see cref="PrometheusServer"/> with Sloth-style recording rules for the "checkout" SLO: the
/// error ratio over 5 and 10 minutes, written as Sloth writes <c>slo:sli_error:ratio_rate&lt;window&gt;</c> (a ratio of
/// summed rates, labelled with <c>sloth_id</c>, <c>sloth_service</c>, <c>sloth_slo</c> and <c>sloth_window</c>).
/// </summary>
public sealed class SloPrometheusServer : PrometheusServer
{
    /// <summary>The <c>sloth_id</c> of the recorded SLO.</summary>
    public const string SlothId = "shop-checkout-availability";

    /// <summary>The <c>sloth_id</c> of the SLO whose recorded ratios the gate reads as they stand.</summary>
    public const string RecordedSlothId = "shop-recorded-availability";

    protected override string? Rules => "groups:\n- name: sloth-slo-sli-recordings-shop\n  rules:\n"
        + Rule("checkout", SlothId, "5m") + Rule("checkout", SlothId, "10m")
        + Rule("recorded", RecordedSlothId, "5m") + Rule("recorded", RecordedSlothId, "10m");

    /// <summary>One Sloth-style recording rule: the error ratio of a service's SLO counters over a window.</summary>
    private static string Rule(string service, string slothId, string window) => $$"""
          - record: slo:sli_error:ratio_rate{{window}}
            expr: >-
              (sum(rate(slo_requests_total{job="shop",service="{{service}}",outcome="error"}[{{window}}])))
              / (sum(rate(slo_requests_total{job="shop",service="{{service}}"}[{{window}}])))
            labels: { sloth_id: {{slothId}}, sloth_service: shop, sloth_slo: {{service}}-availability, sloth_window: {{window}} }

        """;
}
