using ReleaseGates.IO;

namespace ReleaseGates.Tests.IO;

public class RedactionTests
{
    [Theory]
    [InlineData("GET http://user:pass@host:8080/x failed", "GET http://user:***@host:8080/x failed")]
    [InlineData("https://ghp_abc123def456@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("postgres://app:s3cret@db:5432/shop", "postgres://app:***@db:5432/shop")]
    [InlineData("https://x/api?access_token=abc&page=2", "https://x/api?access_token=***&page=2")]
    [InlineData("https://x/api?page=2&API_KEY=abc#top", "https://x/api?page=2&API_KEY=***#top")]
    [InlineData("https://blob/x?sv=2024&sig=AbC%2B1&se=2026", "https://blob/x?sv=2024&sig=***&se=2026")]
    [InlineData("https://x/?client_secret=1&password=2&key=3&token=4", "https://x/?client_secret=***&password=***&key=***&token=***")]
    [InlineData("Host=db;Username=app;Password=hunter2;Database=x", "Host=db;Username=app;Password=***;Database=x")]
    [InlineData("Authorization: Bearer eyJhbGciOi.J9.abc", "Authorization: Bearer ***")]
    [InlineData("Basic dXNlcjpwYXNz", "Basic ***")]
    public void Credentials_are_masked(string text, string expected) => Assert.Equal(expected, Redaction.Redact(text));

    [Theory]
    [InlineData("p(95) < 300ms on GET https://shop.example/api/orders?page=2&sort=asc")]
    [InlineData("rate <= 1% (12 of 5000 failed)")]
    [InlineData("keyboard=yes monkey=1")]
    [InlineData("Basic auth is off")]
    public void Ordinary_text_is_left_alone(string text) => Assert.Same(text, Redaction.Redact(text));

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("Cookie", true)]
    [InlineData("X-Trace", false)]
    [InlineData("Accept", false)]
    public void Secret_names_are_recognised(string name, bool secret) => Assert.Equal(secret, Redaction.IsSecretName(name));

    [Fact]
    public void A_configured_secret_is_masked_as_written_in_base64_and_url_encoded()
    {
        var forms = Redaction.SecretForms(["s3cr3t-t0ken/+", "user:hunter2pw", null, "abc"]);
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:hunter2pw"));
        var text = $"<html>401: token s3cr3t-t0ken/+ rejected; sent {base64}; see ?t={Uri.EscapeDataString("s3cr3t-t0ken/+")} and abc</html>";

        var masked = Redaction.Redact(text, forms)!;

        Assert.Equal("<html>401: token *** rejected; sent ***; see ?t=*** and abc</html>", masked);
        Assert.DoesNotContain(forms, f => f.Length < Redaction.MinimumSecretLength);
    }

    [Theory]
    [InlineData("Set-Cookie", "sessionid=abc123; Path=/; HttpOnly", "sessionid=***; Path=/; HttpOnly")]
    [InlineData("Cookie", "a=1; b=2", "a=***; b=***")]
    [InlineData("Authorization", "Bearer xyz", "(not shown: it carries credentials)")]
    [InlineData("X-Frame-Options", "DENY", "DENY")]
    public void A_header_value_is_shown_without_its_secret(string name, string value, string expected)
        => Assert.Equal(expected, Redaction.ShownHeaderValue(name, value));
}
