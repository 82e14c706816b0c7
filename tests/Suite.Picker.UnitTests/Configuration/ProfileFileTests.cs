using Suite.Picker.Configuration;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Filters;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;

namespace Suite.Picker.UnitTests.Configuration;

public sealed class ProfileFileTests
{
    private const string File = "profile.yaml";

    private static SchedulingProfile Parse(string yaml) => ProfileFile.Parse(File, yaml, new ScriptedRandom());

    private static string ParseError(string yaml) => Assert.Throws<ConfigurationFileException>(() => Parse(yaml)).Message;

    private static (string Name, double Weight)[] Weights(SchedulingProfile profile) =>
        [.. profile.Scorers.Select(scorer => (scorer.Scorer.Name, scorer.Weight))];

    [Fact]
    public void Parse_EmptyFile_ReturnsTheDefaultProfile()
    {
        var profile = Parse("");

        Assert.Empty(profile.Filters);
        Assert.Equal(
            [("queue-depth", 2.0), ("outstanding-requests", 2.0), ("kv-cache", 1.0), ("lora-affinity", 3.0), ("prefix-cache", 6.0)], Weights(profile));
        Assert.Equal("max-score", profile.Picker.Name);
        Assert.Equal(1, profile.Destinations);
        Assert.Equal(TimeSpan.FromSeconds(2), profile.StaleAfter);
        Assert.False(profile.ExplainHeader);
        Assert.Equal(3, profile.ExplainCandidates);
    }

    [Fact]
    public void Parse_CommentsOnly_ReturnsTheDefaultProfile()
    {
        var profile = Parse("# nothing configured yet\n");

        Assert.Equal(1, profile.Destinations);
        Assert.Equal(5, profile.Scorers.Length);
    }

    [Fact]
    public void Parse_Destinations_IsRead()
    {
        var profile = Parse("destinations: 3\n");

        Assert.Equal(3, profile.Destinations);
    }

    [Fact]
    public void Parse_StaleAfter_IsRead()
    {
        var profile = Parse("staleAfter: 750ms\n");

        Assert.Equal(TimeSpan.FromMilliseconds(750), profile.StaleAfter);
    }

    [Fact]
    public void Parse_Filters_AreReadInOrderWithThresholds()
    {
        var profile = Parse("""
            filters:
              - type: low-queue
                threshold: 4
              - type: kv-cache-below
                threshold: 0.7
            """);

        Assert.Equal(["low-queue", "kv-cache-below"], profile.Filters.Select(filter => filter.Name));
        Assert.Equal(4, Assert.IsType<LowQueueFilter>(profile.Filters[0]).Threshold);
        Assert.Equal(0.7, Assert.IsType<KvCacheBelowFilter>(profile.Filters[1]).Threshold);
    }

    [Fact]
    public void Parse_FiltersWithoutThreshold_TakeTheirDefaultThresholds()
    {
        var profile = Parse("""
            filters:
              - type: low-queue
              - type: kv-cache-below
            """);

        Assert.Equal(5, Assert.IsType<LowQueueFilter>(profile.Filters[0]).Threshold);
        Assert.Equal(0.8, Assert.IsType<KvCacheBelowFilter>(profile.Filters[1]).Threshold);
    }

    [Fact]
    public void Parse_Scorers_ReplaceTheDefaultsWithTheirWeights()
    {
        var profile = Parse("""
            scorers:
              - type: running-requests
                weight: 0.5
              - type: queue-depth
                weight: 3
              - type: in-flight
            """);

        Assert.Equal([("running-requests", 0.5), ("queue-depth", 3.0), ("in-flight", 1.0)], Weights(profile));
    }

    [Theory]
    [InlineData("max-score", typeof(MaxScorePicker))]
    [InlineData("weighted-random", typeof(WeightedRandomPicker))]
    [InlineData("round-robin", typeof(RoundRobinPicker))]
    [InlineData("random", typeof(RandomPicker))]
    public void Parse_Picker_IsRead(string type, Type expected)
    {
        var profile = Parse($"picker:\n  type: {type}\n");

        Assert.IsType(expected, profile.Picker);
    }

    [Fact]
    public void Parse_Explain_IsRead()
    {
        var profile = Parse("""
            explain:
              header: true
              candidates: 5
            """);

        Assert.True(profile.ExplainHeader);
        Assert.Equal(5, profile.ExplainCandidates);
    }

    [Fact]
    public void Parse_UnknownRootKey_FailsNamingKeyAndLine()
    {
        var error = ParseError("destinations: 2\ndestination: 3\n");

        Assert.Equal("profile.yaml (line 2): destination is not a known key.", error);
    }

    [Fact]
    public void Parse_UnknownScorerKey_FailsNamingItsPath()
    {
        var error = ParseError("""
            scorers:
              - type: queue-depth
                wieght: 2
            """);

        Assert.Equal("profile.yaml (line 3): scorers[0].wieght is not a known key.", error);
    }

    [Fact]
    public void Parse_UnknownExplainKey_FailsNamingItsPath()
    {
        var error = ParseError("explain:\n  header: true\n  verbose: true\n");

        Assert.Equal("profile.yaml (line 3): explain.verbose is not a known key.", error);
    }

    [Fact]
    public void Parse_UnknownScorerType_FailsListingTheKnownScorers()
    {
        var error = ParseError("""
            scorers:
              - type: queue-depth
              - type: session-affinity
            """);

        Assert.Equal(
            "profile.yaml (line 3): scorers[1].type 'session-affinity' is not a scorer; known scorers: queue-depth, kv-cache, lora-affinity, running-requests, in-flight, outstanding-requests, prefix-cache.",
            error);
    }

    [Fact]
    public void Parse_UnknownFilterType_FailsListingTheKnownFilters()
    {
        var error = ParseError("filters:\n  - type: least-latency\n");

        Assert.Equal(
            "profile.yaml (line 2): filters[0].type 'least-latency' is not a filter; known filters: low-queue, kv-cache-below.",
            error);
    }

    [Fact]
    public void Parse_UnknownPickerType_FailsListingTheKnownPickers()
    {
        var error = ParseError("destinations: 2\npicker:\n  type: best\n");

        Assert.Equal(
            "profile.yaml (line 3): picker.type 'best' is not a picker; known pickers: max-score, weighted-random, round-robin, random.",
            error);
    }

    [Fact]
    public void Parse_ScorerWithoutType_FailsNamingTheType()
    {
        var error = ParseError("scorers:\n  - weight: 2\n");

        Assert.Equal("profile.yaml (line 2): scorers[0].type is required.", error);
    }

    [Fact]
    public void Parse_DuplicateScorer_FailsNamingTheSecondEntry()
    {
        var error = ParseError("""
            scorers:
              - type: kv-cache
                weight: 1
              - type: kv-cache
                weight: 2
            """);

        Assert.Equal("profile.yaml (line 4): scorers[1].type 'kv-cache' is listed twice; give it one weight.", error);
    }

    [Fact]
    public void Parse_NegativeWeight_FailsWithTheAllowedRange()
    {
        var error = ParseError("""
            scorers:
              - type: queue-depth
              - type: kv-cache
                weight: -1
            """);

        Assert.Equal("profile.yaml (line 4): scorers[1].weight must be a number from 0 to 1000000, not '-1'.", error);
    }

    [Fact]
    public void Parse_WeightAboveMaximum_FailsWithTheAllowedRange()
    {
        var error = ParseError("scorers:\n  - type: queue-depth\n    weight: 1000001\n");

        Assert.Equal("profile.yaml (line 3): scorers[0].weight must be a number from 0 to 1000000, not '1000001'.", error);
    }

    [Fact]
    public void Parse_WeightNotANumber_FailsWithTheAllowedRange()
    {
        var error = ParseError("scorers:\n  - type: queue-depth\n    weight: heavy\n");

        Assert.Equal("profile.yaml (line 3): scorers[0].weight must be a number from 0 to 1000000, not 'heavy'.", error);
    }

    [Fact]
    public void Parse_FilterThresholdOutOfRange_FailsWithTheAllowedRange()
    {
        var error = ParseError("filters:\n  - type: kv-cache-below\n    threshold: 1.5\n");

        Assert.Equal("profile.yaml (line 3): filters[0].threshold must be a number from 0 to 1, not '1.5'.", error);
    }

    [Fact]
    public void Parse_BadDuration_FailsWithTheAllowedRange()
    {
        var error = ParseError("destinations: 1\nstaleAfter: 2h\n");

        Assert.Equal(
            "profile.yaml (line 2): staleAfter must be a duration such as 500ms, 2s or 1m between 10ms and 3600000ms, not '2h'.",
            error);
    }

    [Fact]
    public void Parse_DurationBelowMinimum_FailsWithTheAllowedRange()
    {
        var error = ParseError("staleAfter: 5ms\n");

        Assert.Equal(
            "profile.yaml (line 1): staleAfter must be a duration such as 500ms, 2s or 1m between 10ms and 3600000ms, not '5ms'.",
            error);
    }

    [Fact]
    public void Parse_DurationNotANumber_FailsWithTheAllowedRange()
    {
        var error = ParseError("staleAfter: NaNs\n");

        Assert.Equal(
            "profile.yaml (line 1): staleAfter must be a duration such as 500ms, 2s or 1m between 10ms and 3600000ms, not 'NaNs'.",
            error);
    }

    [Fact]
    public void Parse_DestinationsOutOfRange_FailsWithTheAllowedRange()
    {
        var error = ParseError("destinations: 17\n");

        Assert.Equal("profile.yaml (line 1): destinations must be a whole number from 1 to 16, not '17'.", error);
    }

    [Fact]
    public void Parse_ExplainHeaderNotABoolean_FailsNamingItsPath()
    {
        var error = ParseError("explain:\n  header: sometimes\n");

        Assert.Equal("profile.yaml (line 2): explain.header must be true or false, not 'sometimes'.", error);
    }

    [Fact]
    public void Parse_ScorersNotAList_FailsNamingTheKey()
    {
        var error = ParseError("scorers: queue-depth\n");

        Assert.Equal("profile.yaml (line 1): scorers must be a list.", error);
    }

    [Fact]
    public void Parse_DestinationsNotAScalar_FailsNamingTheKey()
    {
        var error = ParseError("destinations:\n  - 1\n");

        Assert.Equal("profile.yaml (line 2): destinations must be a single value.", error);
    }

    [Fact]
    public void Parse_DocumentIsAList_FailsAsNotAMapping()
    {
        var error = ParseError("- destinations: 2\n");

        Assert.Equal("profile.yaml: the document must be a mapping of keys to values.", error);
    }

    [Fact]
    public void Parse_InvalidYaml_FailsNamingTheLine()
    {
        var error = ParseError("destinations: 2\nscorers: [queue-depth\n");

        Assert.StartsWith("profile.yaml (line 3): not valid YAML: ", error);
    }

    [Fact]
    public void Parse_DuplicateKey_FailsAsInvalidYaml()
    {
        var error = ParseError("destinations: 2\ndestinations: 3\n");

        Assert.StartsWith("profile.yaml (line 2): not valid YAML: ", error);
    }

    [Fact]
    public void Parse_KeyThatIsNotAName_FailsAsUnknownKey()
    {
        var error = ParseError("destinations: 2\n? [a, b]\n: 1\n");

        Assert.Equal("profile.yaml (line 2): [ a, b ] is not a known key.", error);
    }
    [Fact]
    public void Parse_PrefixCacheWithEveryParameter_IsRead()
    {
        var profile = Parse("""
            scorers:
              - type: prefix-cache
                weight: 3
                blockBytes: 128
                maxBlocks: 64
                capacityBlocks: 31250
                maxAge: 5m
                loadGuard: false
            """);

        var scorer = Assert.IsType<PrefixCacheScorer>(profile.Scorers[0].Scorer);
        Assert.Equal(new PrefixCacheSettings(128, 64, 31_250, TimeSpan.FromMinutes(5), LoadGuard: false), scorer.Settings);
        Assert.Same(scorer, profile.Prefix);
    }

    [Fact]
    public void Parse_PrefixCacheWithoutParameters_TakesTheDefaults()
    {
        var profile = Parse("""
            scorers:
              - type: prefix-cache
            """);

        Assert.Equal(PrefixCacheSettings.Default, profile.Prefix!.Settings);
        Assert.Equal(new PrefixCacheSettings(64, 256, 0, TimeSpan.FromMinutes(10), LoadGuard: true), PrefixCacheSettings.Default);
    }

    [Fact]
    public void Parse_PrefixCacheAtWeightZero_ScoresNoPrefix()
    {
        var profile = Parse("""
            scorers:
              - type: prefix-cache
                weight: 0
            """);

        Assert.Null(profile.Prefix);
    }

    [Fact]
    public void Parse_ProfilesGivenOneIndex_ShareIt()
    {
        var index = new PrefixCacheIndex(TimeProvider.System);

        var first = ProfileFile.Parse(File, "scorers:\n  - type: prefix-cache\n", new ScriptedRandom(), index);
        var second = ProfileFile.Parse(File, "", new ScriptedRandom(), index);

        Assert.Same(index, first.Prefix!.Index);
        Assert.Same(index, second.Prefix!.Index);
    }

    [Theory]
    [InlineData("blockBytes: 0", "scorers[0].blockBytes must be a whole number from 1 to 65536, not '0'.")]
    [InlineData("maxBlocks: 5000", "scorers[0].maxBlocks must be a whole number from 1 to 4096, not '5000'.")]
    [InlineData("capacityBlocks: -1", "scorers[0].capacityBlocks must be a whole number from 0 to 4194304, not '-1'.")]
    [InlineData("maxAge: 500ms", "scorers[0].maxAge must be a duration such as 500ms, 2s or 1m between 1000ms and 86400000ms, not '500ms'.")]
    [InlineData("loadGuard: maybe", "scorers[0].loadGuard must be true or false, not 'maybe'.")]
    [InlineData("blocks: 4", "scorers[0].blocks is not a known key.")]
    public void Parse_BadPrefixCacheParameter_FailsNamingTheKey(string line, string expected)
    {
        var error = ParseError($"scorers:\n  - type: prefix-cache\n    {line}\n");

        Assert.Equal($"profile.yaml (line 3): {expected}", error);
    }
    [Fact]
    public void Parse_DocumentedExampleProfile_HasPrefixAffinityWithTheGuard()
    {
        var profile = ParseExample("picker-profile.yaml");

        Assert.Equal(
            [("queue-depth", 2.0), ("outstanding-requests", 2.0), ("kv-cache", 1.0), ("lora-affinity", 3.0), ("prefix-cache", 6.0)], Weights(profile));
        Assert.Equal(PrefixCacheSettings.Default, profile.Prefix!.Settings);
    }

    [Fact]
    public void Parse_ReferenceDefaultProfile_IsTheUnguardedReferenceScoring()
    {
        var profile = ParseExample(Path.Combine("profiles", "reference-default.yaml"));

        Assert.Equal([("queue-depth", 2.0), ("kv-cache", 2.0), ("prefix-cache", 3.0)], Weights(profile));
        Assert.Equal(new PrefixCacheSettings(64, 256, 31_250, TimeSpan.FromHours(24), LoadGuard: false), profile.Prefix!.Settings);
        Assert.Equal("max-score", profile.Picker.Name);
        Assert.Equal(1, profile.Destinations);
    }

    private static SchedulingProfile ParseExample(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!System.IO.File.Exists(Path.Combine(directory!.FullName, "Suite.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory.FullName, "deploy", "examples", name);
        return ProfileFile.Parse(path, System.IO.File.ReadAllText(path), new ScriptedRandom());
    }
}
