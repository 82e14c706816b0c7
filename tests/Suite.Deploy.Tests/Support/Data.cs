namespace Suite.Deploy.Tests.Support;

internal static class Data
{
    public static TheoryData<string> Of(IEnumerable<string> values)
    {
        var data = new TheoryData<string>();
        foreach (var value in values)
        {
            data.Add(value);
        }

        return data;
    }
}
