using Suite.Picker.RequestBody;

namespace Suite.Picker.UnitTests.RequestBody;

public sealed class ApiShapesTests
{
    [Theory]
    [InlineData("/v1/completions", ApiShape.Completions)]
    [InlineData("/v1/chat/completions", ApiShape.ChatCompletions)]
    [InlineData("/v1/embeddings", ApiShape.Embeddings)]
    public void FromPath_KnownRoute_ReturnsItsShape(string path, ApiShape expected)
    {
        var shape = ApiShapes.FromPath(path);

        Assert.Equal(expected, shape);
    }

    [Theory]
    [InlineData("/v1/completions?api-version=1", ApiShape.Completions)]
    [InlineData("/v1/chat/completions?a=b&c=/d", ApiShape.ChatCompletions)]
    [InlineData("/v1/embeddings?", ApiShape.Embeddings)]
    public void FromPath_QueryString_IsIgnored(string path, ApiShape expected)
    {
        var shape = ApiShapes.FromPath(path);

        Assert.Equal(expected, shape);
    }

    [Theory]
    [InlineData("/v1/completions/", ApiShape.Completions)]
    [InlineData("/v1/chat/completions/?stream=1", ApiShape.ChatCompletions)]
    [InlineData("/v1/embeddings//", ApiShape.Embeddings)]
    public void FromPath_TrailingSlash_IsIgnored(string path, ApiShape expected)
    {
        var shape = ApiShapes.FromPath(path);

        Assert.Equal(expected, shape);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/v1/models")]
    [InlineData("/v1/completionsx")]
    [InlineData("/v2/chat/completions")]
    [InlineData("/V1/Completions")]
    [InlineData("/v1/chat/completions/extra")]
    public void FromPath_OtherRoute_ReturnsOther(string? path)
    {
        var shape = ApiShapes.FromPath(path);

        Assert.Equal(ApiShape.Other, shape);
    }
}
