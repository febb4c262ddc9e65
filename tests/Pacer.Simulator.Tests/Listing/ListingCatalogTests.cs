namespace Pacer.Simulator.Tests.Listing;

public class ListingCatalogTests
{
    private static ListingCatalog CreateSut(int seed = 1, int min = 0, int max = 1000) =>
        new(new ListingOptions { Projects = 3, SuitesPerProject = 4, MinCasesPerSuite = min, MaxCasesPerSuite = max }, seed);

    [Fact]
    public void SameSeed_GivesTheSameListing()
    {
        var a = CreateSut(seed: 9);
        var b = CreateSut(seed: 9);

        for (long suite = 1; suite <= 12; suite++)
        {
            Assert.Equal(a.CaseCountOf(suite), b.CaseCountOf(suite));
            Assert.Equal(a.SuiteName(suite), b.SuiteName(suite));
            Assert.Equal(a.CaseTitle(suite, 3), b.CaseTitle(suite, 3));
        }
    }

    [Fact]
    public void OtherSeed_GivesOtherCounts()
    {
        var a = CreateSut(seed: 1);
        var b = CreateSut(seed: 2);

        Assert.NotEqual(
            Enumerable.Range(1, 12).Select(s => a.CaseCountOf(s)),
            Enumerable.Range(1, 12).Select(s => b.CaseCountOf(s)));
    }

    [Fact]
    public void CaseCounts_StayWithinTheConfiguredRange()
    {
        var catalog = CreateSut(min: 5, max: 8);

        Assert.All(Enumerable.Range(1, 12), s => Assert.InRange(catalog.CaseCountOf(s), 5, 8));
    }

    [Fact]
    public void Suites_BelongToTheirProject()
    {
        var catalog = CreateSut();

        Assert.Equal(5, catalog.FirstSuiteOf(2));
        Assert.True(catalog.TryGetProjectOfSuite(8, out long project));
        Assert.Equal(2, project);
        Assert.False(catalog.TryGetProjectOfSuite(13, out _));
        Assert.False(catalog.TryGetProjectOfSuite(0, out _));
    }

    [Fact]
    public void CaseIds_AreUniqueAcrossSuites()
    {
        Assert.NotEqual(ListingCatalog.CaseId(1, 999_999), ListingCatalog.CaseId(2, 0));
        Assert.Equal(2_000_001, ListingCatalog.CaseId(2, 0));
    }
}
