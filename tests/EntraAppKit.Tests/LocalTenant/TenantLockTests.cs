using System;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Store;
using Xunit;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The tenant's lock for a tenant in memory: reads share it, a write is alone, a waiting write keeps later reads out (it is
    /// not starved), and a bounded entry gives up with Graph's 503.
    /// </summary>
    public sealed class TenantLockTests
    {
        private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

        private static TenantLock InMemory() =>
            new TenantLock(TenantPersistence.InMemory(InMemoryTenantStore.New(new LocalTenantOptions(), GraphSchema.V1, DateTimeOffset.UtcNow), GraphSchema.V1));

        [Fact]
        public async Task Reads_share_and_a_write_waits_for_the_reads_in_while_later_reads_wait_for_it()
        {
            var gate = InMemory();
            var first = await gate.EnterReadAsync(CancellationToken.None);
            var second = await gate.EnterReadAsync(CancellationToken.None); // shared: both are in

            var write = gate.EnterAsync(CancellationToken.None);
            await Task.Delay(50);
            Assert.False(write.IsCompleted);
            var later = gate.EnterReadAsync(CancellationToken.None); // behind the waiting write
            await Task.Delay(50);
            Assert.False(later.IsCompleted);

            first.Dispose();
            second.Dispose();
            var held = await write.WaitAsync(Long);
            Assert.False(later.IsCompleted);
            held.Dispose();
            (await later.WaitAsync(Long)).Dispose();
            (await gate.EnterAsync(CancellationToken.None).WaitAsync(Long)).Dispose(); // nothing is left held
        }

        [Fact]
        public async Task A_bounded_entry_gives_up_with_503_and_leaves_the_lock_usable()
        {
            var gate = InMemory();
            var read = await gate.EnterReadAsync(CancellationToken.None);
            Assert.Equal(503, Assert.Throws<GraphException>(() => gate.Enter(TimeSpan.FromMilliseconds(50))).Status);
            gate.EnterRead(TimeSpan.FromMilliseconds(50)).Dispose(); // a read still shares
            read.Dispose();
            gate.Enter(Long).Dispose();

            var write = await gate.EnterAsync(CancellationToken.None);
            Assert.Equal(503, Assert.Throws<GraphException>(() => gate.EnterRead(TimeSpan.FromMilliseconds(50))).Status);
            write.Dispose();
            gate.EnterRead(Long).Dispose();
        }

        [Fact]
        public async Task A_write_cancelled_while_it_waits_for_reads_lets_the_reads_go_on()
        {
            var gate = InMemory();
            var read = await gate.EnterReadAsync(CancellationToken.None);
            using var cancel = new CancellationTokenSource();
            var write = gate.EnterAsync(cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
            (await gate.EnterReadAsync(CancellationToken.None).WaitAsync(Long)).Dispose();
            read.Dispose();
            (await gate.EnterAsync(CancellationToken.None).WaitAsync(Long)).Dispose();
        }
    }
}
