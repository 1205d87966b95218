using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseGates;

/// <summary>
/// Holds each endpoint's TLS to the options: protocol versions (each tried alone), the certificate's chain and host name,
/// days to expiry, key size and signature algorithm. An endpoint that cannot be reached makes the gate <c>Error</c>.
/// </summary>
internal sealed class TlsGate(TlsGateOptions options) : IReleaseGate
{
#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0 and 1.1 are tried on purpose: a server that still accepts them fails the gate.
    private static readonly (SslProtocols Protocol, string Name)[] Versions =
        [(SslProtocols.Tls, "TLS 1.0"), (SslProtocols.Tls11, "TLS 1.1"), (SslProtocols.Tls12, "TLS 1.2"), (SslProtocols.Tls13, "TLS 1.3")];
#pragma warning restore SYSLIB0039, CA5397

    public async ValueTask<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var findings = new List<Finding>();
        var unreachable = new List<string>();
        foreach (var endpoint in options.Endpoints)
        {
            var (host, port, target) = (endpoint.IdnHost, endpoint.Port, $"{endpoint.IdnHost}:{endpoint.Port}");
            var main = await TlsHandshake.RunAsync(host, port, SslProtocols.None, options.TrustedRoots, options.HandshakeTimeout,
                cancellationToken).ConfigureAwait(false);
            if (!main.Succeeded || main.Certificate is null)
            {
                unreachable.Add($"{target}: {main.Failure ?? "no certificate was presented"}");
                continue;
            }

            JudgeCertificate(main, target, context.TimeProvider.GetUtcNow(), measurements, findings);
            var accepted = new List<(SslProtocols Protocol, string Name, bool Accepted)>();
            foreach (var (protocol, name) in Versions)
            {
                if (!await TlsHandshake.SupportedLocallyAsync(protocol).ConfigureAwait(false))
                {
                    if ((options.RequiredProtocols & protocol) != 0)
                    {
                        // A requirement that cannot be tested is not met: the gate cannot evaluate, it does not pass.
                        unreachable.Add($"{target}: {name} is required but cannot be tried from this machine (its TLS library does not offer it)");
                    }

                    findings.Add(new Finding(TlsGateConstants.ProtocolUntestable, FindingSeverity.Info,
                        $"{name} cannot be tried from this machine (its TLS library does not offer it), so whether {target} accepts it is not known.") { Target = target });
                    continue;
                }

                var attempt = await TlsHandshake.RunAsync(host, port, protocol, options.TrustedRoots, options.HandshakeTimeout,
                    cancellationToken).ConfigureAwait(false);
                if (!attempt.Connected)
                {
                    // No answer is not a refusal: a forbidden version must be seen refused, never assumed.
                    unreachable.Add($"{target} ({name} attempt): {attempt.Failure}");
                    continue;
                }

                accepted.Add((protocol, name, attempt.Succeeded));
            }

            JudgeProtocols(accepted, target, measurements, findings);
        }

        if (unreachable.Count > 0)
        {
            return new GateResult(GateStatus.Error,
                $"Could not complete a TLS handshake with {unreachable.Count} of {options.Endpoints.Count} endpoint(s): {string.Join("; ", unreachable)}",
                measurements, findings);
        }

        var failedEndpoints = options.Endpoints.Count(e => findings.Any(f => f.Severity == FindingSeverity.Error && f.Target == $"{e.IdnHost}:{e.Port}")
            || measurements.Any(m => m.Status == GateStatus.Failed && m.Target == $"{e.IdnHost}:{e.Port}"));
        return GateResult.FromEvidence($"{options.Endpoints.Count - failedEndpoints} of {options.Endpoints.Count} endpoint(s) with TLS as required",
            measurements, findings);
    }

    private void JudgeCertificate(TlsHandshakeResult handshake, string target, DateTimeOffset now, List<Measurement> measurements, List<Finding> findings)
    {
        var certificate = handshake.Certificate!;
        var days = Math.Floor((new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - now).TotalDays);
        var expiry = GateCondition.AtLeast("days-until-expiry", options.MinimumDaysUntilExpiry, MetricUnit.Days);
        measurements.Add(Measurement.Evaluate("days-until-expiry", days, MetricUnit.Days,
            options.WarningDaysUntilExpiry is { } warn ? expiry.WithWarning(warn, MetricUnit.Days) : expiry) with { Target = target });

        var (algorithm, bits, minimum) = certificate.GetRSAPublicKey() is { } rsa ? ("RSA", rsa.KeySize, options.MinimumRsaKeyBits)
            : certificate.GetECDsaPublicKey() is { } ec ? ("EC", ec.KeySize, options.MinimumEcKeyBits)
            : (certificate.PublicKey.Oid.FriendlyName ?? "unknown", 0, 0);
        measurements.Add((minimum > 0 ? Measurement.Evaluate("key-bits", bits, MetricUnit.None,
            GateCondition.AtLeast("key-bits", minimum)) : new Measurement("key-bits", bits, MetricUnit.None)) with { Target = $"{target} ({algorithm})" });

        var signature = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown";
        if (signature.Contains("sha1", StringComparison.OrdinalIgnoreCase) || signature.Contains("md5", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new Finding(TlsGateConstants.WeakSignature, FindingSeverity.Error,
                $"The certificate is signed with {signature}, which browsers no longer accept.") { Target = target, Observed = signature });
        }

        if (handshake.Errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            findings.Add(new Finding(TlsGateConstants.NameMismatch, FindingSeverity.Error,
                $"The certificate ({certificate.Subject}) is not valid for the host name the endpoint was reached by.") { Target = target,
                Observed = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false) });
        }

        if (handshake.Errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var problems = handshake.ChainProblems.Count == 0 ? "the chain could not be built" : string.Join("; ", handshake.ChainProblems);
            findings.Add(new Finding(TlsGateConstants.ChainInvalid, FindingSeverity.Error,
                $"The certificate chain is not valid: {problems}.") { Target = target, Observed = $"{certificate.Subject}, issued by {certificate.Issuer}" });
        }

        var cipher = handshake.Cipher?.ToString() ?? "unknown cipher suite";
        findings.Add(new Finding(TlsGateConstants.Negotiated, FindingSeverity.Info,
            $"Negotiated {ProtocolName(handshake.Protocol)} with {cipher}; certificate {certificate.Subject}, {algorithm} {bits.ToString(CultureInfo.InvariantCulture)} bits, {signature}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}.") { Target = target });
    }

    private void JudgeProtocols(List<(SslProtocols Protocol, string Name, bool Accepted)> tried, string target,
        List<Measurement> measurements, List<Finding> findings)
    {
        foreach (var (protocol, name, accepted) in tried)
        {
            var allowed = (options.AllowedProtocols & protocol) != 0;
            var required = (options.RequiredProtocols & protocol) != 0;
            measurements.Add(new Measurement($"{name} accepted", accepted ? 1 : 0, MetricUnit.None)
            {
                Target = target,
                Status = (accepted && !allowed) || (required && !accepted) ? GateStatus.Failed : GateStatus.Passed,
            });
            if (required && !accepted)
            {
                findings.Add(new Finding(TlsGateConstants.RequiredProtocolRefused, FindingSeverity.Error,
                    $"{target} refuses {name}, which is required ({options.RequiredProtocols}).") { Target = target });
            }

            if (accepted && !allowed)
            {
                findings.Add(new Finding(TlsGateConstants.ProtocolNotAllowed, FindingSeverity.Error,
                    $"{target} accepts {name}, which is not allowed ({options.AllowedProtocols}).") { Target = target });
            }
        }

        if (!tried.Any(t => t.Accepted && (options.AllowedProtocols & t.Protocol) != 0))
        {
            var allowedTried = tried.Where(t => (options.AllowedProtocols & t.Protocol) != 0).Select(t => t.Name).ToList();
            findings.Add(new Finding(TlsGateConstants.NoAllowedProtocol, FindingSeverity.Error, allowedTried.Count == 0
                ? $"None of the allowed protocols ({options.AllowedProtocols}) could be tried from this machine, so {target} cannot be shown to accept one."
                : $"{target} accepts none of the allowed protocols ({string.Join(", ", allowedTried)}).") { Target = target });
        }
    }

    private static string ProtocolName(SslProtocols protocol) => Versions.FirstOrDefault(v => v.Protocol == protocol).Name ?? protocol.ToString();
}
