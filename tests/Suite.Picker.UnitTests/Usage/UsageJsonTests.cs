using System.Text;
using Suite.Picker.Usage;

namespace Suite.Picker.UnitTests.Usage;

public sealed class UsageJsonTests
{
    private static (bool Found, TokenUsage Usage) Read(string json)
    {
        var found = UsageJson.TryRead(Encoding.UTF8.GetBytes(json), out var usage);
        return (found, usage);
    }

    [Fact]
    public void TryRead_FullUsage_ReadsAllFourCounts()
    {
        var result = Read("""
            {"id":"cmpl-1","choices":[{"text":"hi"}],
             "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,
                      "prompt_tokens_details":{"cached_tokens":4}}}
            """);

        Assert.Equal((true, new TokenUsage(12, 7, 19, 4)), result);
    }

    [Fact]
    public void TryRead_CachedTokensMissing_ReadsZeroCached()
    {
        var result = Read("""{"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""");

        Assert.Equal((true, new TokenUsage(5, 3, 8, 0)), result);
    }

    [Fact]
    public void TryRead_DetailsWithoutCachedTokens_ReadsZeroCached()
    {
        var result = Read("""{"usage":{"prompt_tokens":5,"prompt_tokens_details":{"audio_tokens":2},"total_tokens":5}}""");

        Assert.Equal((true, new TokenUsage(5, 0, 5, 0)), result);
    }

    [Fact]
    public void TryRead_DetailsNull_ReadsZeroCached()
    {
        var result = Read("""{"usage":{"prompt_tokens":5,"prompt_tokens_details":null,"completion_tokens":1}}""");

        Assert.Equal((true, new TokenUsage(5, 1, 0, 0)), result);
    }

    [Fact]
    public void TryRead_UnknownFieldsAroundCounts_AreSkipped()
    {
        var result = Read("""{"usage":{"x":{"y":[1,2]},"prompt_tokens":2,"completion_tokens_details":{"reasoning_tokens":9},"completion_tokens":3,"total_tokens":5}}""");

        Assert.Equal((true, new TokenUsage(2, 3, 5, 0)), result);
    }

    [Fact]
    public void TryRead_CountNotAWholeNumber_ReadsZeroForIt()
    {
        var result = Read("""{"usage":{"prompt_tokens":"12","completion_tokens":2.5,"total_tokens":19}}""");

        Assert.Equal((true, new TokenUsage(0, 0, 19, 0)), result);
    }

    [Fact]
    public void TryRead_UsageNull_ReturnsFalse()
    {
        var result = Read("""{"id":"chunk-1","usage":null}""");

        Assert.Equal((false, default), result);
    }

    [Fact]
    public void TryRead_NoUsage_ReturnsFalse()
    {
        var result = Read("""{"id":"chunk-1","choices":[]}""");

        Assert.Equal((false, default), result);
    }

    [Fact]
    public void TryRead_UsageOnlyNested_ReturnsFalse()
    {
        var result = Read("""{"choices":[{"usage":{"prompt_tokens":1}}]}""");

        Assert.Equal((false, default), result);
    }

    [Fact]
    public void TryRead_TruncatedUsage_ReturnsFalse()
    {
        var result = Read("""{"usage":{"prompt_tokens":12,"completion_tok""");

        Assert.Equal((false, default), result);
    }

    [Fact]
    public void TryRead_MalformedBeforeUsage_ReturnsFalse()
    {
        var result = Read("""{"id":x,"usage":{"prompt_tokens":12}}""");

        Assert.Equal((false, default), result);
    }

    [Fact]
    public void TryRead_NotAnObject_ReturnsFalse()
    {
        var result = Read("[DONE]");

        Assert.Equal((false, default), result);
    }
}
