package dev.lathe.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (or "dev" when run from classes). */
public final class LatheVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = LatheVersion.class.getPackage().getImplementationVersion();
        return new String[] {"lathe " + (v == null ? "dev" : v) + " (.model language version 1)"};
    }
}
