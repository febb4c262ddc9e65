namespace Pacer.Tests.Store;

public sealed class InMemoryJobStoreTests : JobStoreContract
{
    protected override IJobStore CreateStore() => new InMemoryJobStore(Time);
}
