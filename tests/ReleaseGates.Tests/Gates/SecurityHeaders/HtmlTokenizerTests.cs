namespace ReleaseGates.Tests.Gates.SecurityHeaders;

public class HtmlTokenizerTests
{
    private static List<string?> Sources(string html) => HtmlTokenizer.StartTags(html).Where(t => t.Name == "script").Select(t => t["src"]).ToList();

    [Theory]
    [InlineData("<!-- <script src=\"http://x/a.js\"></script> --><script src=\"/b.js\"></script>", new[] { "/b.js" })]
    [InlineData("<script>document.write('<script src=\"http://x/a.js\"><\\/script>')</script><script src=/c.js></script>", new[] { null, "/c.js" })]
    [InlineData("<style>/* <script src=http://x/a.js> */</style><SCRIPT SRC='/d.js'></SCRIPT>", new[] { "/d.js" })]
    [InlineData("<textarea><script src=http://x/a.js></script></textarea>", new string[0])]
    [InlineData("<title>a <script src=http://x/t.js> b</title><noscript><script src=http://x/n.js></script></noscript>", new string[0])]
    [InlineData("<script src=\"/e.js\" src=\"http://x/ignored.js\"></script>", new[] { "/e.js" })]
    [InlineData("<script\nsrc=/f.js\nintegrity=sha384-abc></script>", new[] { "/f.js" })]
    [InlineData("<script src=\"/g.js?a=1&amp;b=2\"></script>", new[] { "/g.js?a=1&b=2" })]
    [InlineData("<!DOCTYPE html><?xml version=\"1.0\"?><p>1 < 2</p><script src=/h.js></script>", new[] { "/h.js" })]
    [InlineData("<script src=/unterminated.js", new[] { "/unterminated.js" })]
    public void Finds_scripts_as_a_browser_would(string html, string?[] expected)
        => Assert.Equal(expected, Sources(html));

    [Fact]
    public void Reads_meta_attributes_in_any_quoting()
    {
        var metas = HtmlTokenizer.StartTags("<meta http-equiv=Content-Security-Policy content=\"default-src 'self'\"><meta name='referrer' content=no-referrer>")
            .Where(t => t.Name == "meta").ToList();
        Assert.Equal("default-src 'self'", metas[0]["content"]);
        Assert.Equal("no-referrer", metas[1]["content"]);
        Assert.Equal("referrer", metas[1]["name"]);
    }

    [Fact]
    public void A_large_page_of_broken_markup_is_read_in_one_pass()
    {
        var html = string.Concat(Enumerable.Repeat("<a <b <!-- <script <style>", 50_000));
        Assert.Equal(50_000, HtmlTokenizer.StartTags(html).Count(t => t.Name == "a"));
    }
}
