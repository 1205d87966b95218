using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// <c>"type": "tls"</c> in <c>releasegates.json</c>, with its <c>trustedRootFiles</c>: certificate files (PEM, one or
/// more certificates each, or DER), relative to the file, whose certificates are the roots chains are built to.
/// </summary>
internal sealed class TlsGateKind() : GateKind<TlsGateOptions>("tls")
{
    /// <summary>The largest certificate file read: 1 MiB (a bundle of every public root is about 250 KB).</summary>
    private const long MaximumCertificateFileBytes = 1024 * 1024;

    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<TlsGateOptions>> Properties
    {
        get => [new("trustedRootFiles", RootsSchema, (node, options, file) => ReadTrustedRoots(node, file, options.TrustedRoots))];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, TlsGateOptions options) => builder.AddTls(name, options);

    private static void ReadTrustedRoots(ConfigNode node, GateFileContext file, X509Certificate2Collection roots)
    {
        if (node.Kind != JsonTokenType.StartArray)
        {
            file.AddProblem(node, $"expected an array of certificate files (PEM or DER), found {node.KindName}.");
            return;
        }

        foreach (var item in node.Items)
        {
            if (file.Binder.ReadString(item) is not { } path)
            {
                continue;
            }

            try
            {
                var before = roots.Count;
                var bytes = IO.SafeFile.ReadAllBytes(file.ResolvePath(path), MaximumCertificateFileBytes);
                if (Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    roots.ImportFromPem(Encoding.ASCII.GetString(bytes));
                }
                else
                {
#if NET9_0_OR_GREATER
                    roots.Add(X509CertificateLoader.LoadCertificate(bytes));
#else
                    roots.Add(new X509Certificate2(bytes));
#endif
                }

                if (roots.Count == before)
                {
                    file.AddProblem(item, $"{path} holds no certificate.");
                }
            }
            catch (IO.ReportFormatException e)
            {
                file.AddProblem(item, $"the certificate file {path} {e.Problem}.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or CryptographicException)
            {
                file.AddProblem(item, $"{path} is not a readable certificate file (PEM or DER): {e.Message}");
            }
        }
    }

    private static JsonObject RootsSchema() => new()
    {
        ["type"] = "array",
        ["items"] = new JsonObject { ["type"] = "string" },
        ["description"] = "Certificate files (PEM or DER), relative to this file: the roots chains are built to instead of the system's.",
    };
}
