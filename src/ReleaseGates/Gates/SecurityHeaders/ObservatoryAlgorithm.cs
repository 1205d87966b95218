namespace ReleaseGates;

/// <summary>Which version of Mozilla HTTP Observatory's scoring the security-headers gate follows.</summary>
public enum ObservatoryAlgorithm
{
    /// <summary>Algorithm version 5, as released in mdn-http-observatory v1.6.3: ten tests, scores up to 145.</summary>
    Version5 = 5,

    /// <summary>Algorithm version 6 (the project's head): adds Cross-Origin-Embedder-Policy and Cross-Origin-Opener-Policy (+10 each, −5 when invalid), scores up to 165.</summary>
    Version6 = 6,
}
