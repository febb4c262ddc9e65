namespace Pacer.Simulator;

/// <summary>
/// Sizes of the paginated listing (projects, their suites, and the suites' cases). The content is
/// generated from <see cref="SimulatorOptions.Seed"/>: the same seed and sizes give the same listing.
/// </summary>
public sealed class ListingOptions
{
    internal const int MaxCases = 1_000_000;

    /// <summary>Number of projects, with ids 1 to <see cref="Projects"/>.</summary>
    /// <value>Default 3. From 1 to 10,000.</value>
    public int Projects { get; set; } = 3;

    /// <summary>Number of suites in each project.</summary>
    /// <value>Default 10. From 0 to 10,000.</value>
    public int SuitesPerProject { get; set; } = 10;

    /// <summary>The fewest cases a suite has.</summary>
    /// <value>Default 0. From 0 to 1,000,000.</value>
    public int MinCasesPerSuite { get; set; }

    /// <summary>The most cases a suite has; each suite's count is drawn between the two.</summary>
    /// <value>Default 1,000. From <see cref="MinCasesPerSuite"/> to 1,000,000.</value>
    public int MaxCasesPerSuite { get; set; } = 1_000;

    /// <summary>The largest <c>limit</c> a page request may ask for; also the default page size.</summary>
    /// <value>Default 250. From 1 to 10,000.</value>
    public int MaxPageSize { get; set; } = 250;

    internal void Validate(OptionsErrors errors, string field)
    {
        CheckRange(errors, field, nameof(Projects), Projects, 1, 10_000);
        CheckRange(errors, field, nameof(SuitesPerProject), SuitesPerProject, 0, 10_000);
        CheckRange(errors, field, nameof(MinCasesPerSuite), MinCasesPerSuite, 0, MaxCases);
        CheckRange(errors, field, nameof(MaxCasesPerSuite), MaxCasesPerSuite, 0, MaxCases);
        CheckRange(errors, field, nameof(MaxPageSize), MaxPageSize, 1, 10_000);
        if (MaxCasesPerSuite < MinCasesPerSuite)
        {
            errors.Add($"{field}MaxCasesPerSuite must be at least MinCasesPerSuite ({MinCasesPerSuite}), got {MaxCasesPerSuite}.");
        }
    }

    internal ListingOptions Clone() => new()
    {
        Projects = Projects,
        SuitesPerProject = SuitesPerProject,
        MinCasesPerSuite = MinCasesPerSuite,
        MaxCasesPerSuite = MaxCasesPerSuite,
        MaxPageSize = MaxPageSize,
    };

    private static void CheckRange(OptionsErrors errors, string field, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{field}{name} must be from {min:N0} to {max:N0}, got {value}.");
        }
    }
}
