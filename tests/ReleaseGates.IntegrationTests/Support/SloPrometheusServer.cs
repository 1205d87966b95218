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

    protected override string? Rules => $$"""
        groups:
        - name: sloth-slo-sli-recordings-shop-checkout-availability
          rules:
          - record: slo:sli_error:ratio_rate5m
            expr: >-
              (sum(rate(slo_requests_total{job="shop",service="checkout",outcome="error"}[5m])))
              / (sum(rate(slo_requests_total{job="shop",service="checkout"}[5m])))
            labels: { sloth_id: {{SlothId}}, sloth_service: shop, sloth_slo: checkout-availability, sloth_window: 5m }
          - record: slo:sli_error:ratio_rate10m
            expr: >-
              (sum(rate(slo_requests_total{job="shop",service="checkout",outcome="error"}[10m])))
              / (sum(rate(slo_requests_total{job="shop",service="checkout"}[10m])))
            labels: { sloth_id: {{SlothId}}, sloth_service: shop, sloth_slo: checkout-availability, sloth_window: 10m }
          - record: slo:sli_error:ratio_rate5m
            expr: >-
              (sum(rate(slo_requests_total{job="shop",service="recorded",outcome="error"}[5m])))
              / (sum(rate(slo_requests_total{job="shop",service="recorded"}[5m])))
            labels: { sloth_id: {{RecordedSlothId}}, sloth_service: shop, sloth_slo: recorded-availability, sloth_window: 5m }
          - record: slo:sli_error:ratio_rate10m
            expr: >-
              (sum(rate(slo_requests_total{job="shop",service="recorded",outcome="error"}[10m])))
              / (sum(rate(slo_requests_total{job="shop",service="recorded"}[10m])))
            labels: { sloth_id: {{RecordedSlothId}}, sloth_service: shop, sloth_slo: recorded-availability, sloth_window: 10m }
        """;
}
