package dev.shepherd.plugin.mesh.gossip.wire;

import dev.shepherd.plugin.mesh.gossip.crdt.CounterShard;
import dev.shepherd.plugin.mesh.gossip.crdt.Hlc;
import dev.shepherd.plugin.mesh.gossip.crdt.Register;
import dev.shepherd.plugin.mesh.gossip.crdt.StateEntry;
import dev.shepherd.plugin.mesh.gossip.swim.Member;
import dev.shepherd.plugin.mesh.gossip.swim.MemberState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary encoding of {@link Envelope}: a version byte, then fields in a fixed order with
 * length-prefixed strings and lists. Hand-written rather than protobuf-generated: the message set is
 * small and internal to this plugin, and it keeps protoc and protobuf-java out of the build and the
 * plugin zip (see docs/mesh.md).
 */
public final class EnvelopeCodec {

    private static final int VERSION = 1;
    private static final int MAX_LIST = 1 << 20;

    private EnvelopeCodec() {
    }

    public static byte[] encode(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeOptionalMember(out, envelope.sender());
            out.writeInt(envelope.members().size());
            for (Member m : envelope.members()) {
                writeMember(out, m);
            }
            out.writeInt(envelope.entries().size());
            for (StateEntry e : envelope.entries()) {
                writeEntry(out, e);
            }
            writeOptionalMember(out, envelope.target());
            long[] digests = envelope.digests();
            out.writeInt(digests == null ? -1 : digests.length);
            if (digests != null) {
                for (long d : digests) {
                    out.writeLong(d);
                }
            }
            out.writeUTF(envelope.cursor());
            out.writeBoolean(envelope.ok());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Envelope decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported gossip message version " + version);
            }
            Member sender = readOptionalMember(in);
            int memberCount = count(in);
            List<Member> members = new ArrayList<>(memberCount);
            for (int i = 0; i < memberCount; i++) {
                members.add(readMember(in));
            }
            int entryCount = count(in);
            List<StateEntry> entries = new ArrayList<>(entryCount);
            for (int i = 0; i < entryCount; i++) {
                entries.add(readEntry(in));
            }
            Member target = readOptionalMember(in);
            int digestCount = in.readInt();
            long[] digests = null;
            if (digestCount >= 0) {
                digests = new long[Math.min(digestCount, MAX_LIST)];
                for (int i = 0; i < digests.length; i++) {
                    digests[i] = in.readLong();
                }
            }
            String cursor = in.readUTF();
            boolean ok = in.readBoolean();
            return new Envelope(sender, members, entries, target, digests, cursor, ok);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed gossip message", e);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LIST) {
            throw new IOException("bad list length " + n);
        }
        return n;
    }

    private static void writeOptionalMember(DataOutputStream out, Member m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            writeMember(out, m);
        }
    }

    private static Member readOptionalMember(DataInputStream in) throws IOException {
        return in.readBoolean() ? readMember(in) : null;
    }

    private static void writeMember(DataOutputStream out, Member m) throws IOException {
        out.writeUTF(m.id());
        out.writeUTF(m.address());
        out.writeByte(m.state().ordinal());
        out.writeLong(m.incarnation());
    }

    private static Member readMember(DataInputStream in) throws IOException {
        String id = in.readUTF();
        String address = in.readUTF();
        int state = in.readUnsignedByte();
        if (state >= MemberState.values().length) {
            throw new IOException("bad member state " + state);
        }
        return new Member(id, address, MemberState.values()[state], in.readLong());
    }

    private static void writeEntry(DataOutputStream out, StateEntry entry) throws IOException {
        switch (entry) {
            case Register r -> {
                out.writeByte('r');
                out.writeUTF(r.namespace());
                out.writeUTF(r.key());
                out.writeInt(r.value() == null ? -1 : r.value().length);
                if (r.value() != null) {
                    out.write(r.value());
                }
                out.writeLong(r.timestamp().wallMillis());
                out.writeInt(r.timestamp().logical());
                out.writeUTF(r.writer());
            }
            case CounterShard s -> {
                out.writeByte('c');
                out.writeUTF(s.namespace());
                out.writeUTF(s.key());
                out.writeUTF(s.node());
                out.writeLong(s.increments());
                out.writeLong(s.decrements());
                out.writeLong(s.updatedMillis());
            }
        }
    }

    private static StateEntry readEntry(DataInputStream in) throws IOException {
        int kind = in.readUnsignedByte();
        String namespace = in.readUTF();
        String key = in.readUTF();
        if (kind == 'r') {
            int length = in.readInt();
            byte[] value = null;
            if (length >= 0) {
                value = in.readNBytes(length);
                if (value.length != length) {
                    throw new IOException("truncated value");
                }
            }
            Hlc hlc = new Hlc(in.readLong(), in.readInt());
            return new Register(namespace, key, value, hlc, in.readUTF());
        }
        if (kind == 'c') {
            return new CounterShard(namespace, key, in.readUTF(), in.readLong(), in.readLong(), in.readLong());
        }
        throw new IOException("bad entry kind " + kind);
    }
}
