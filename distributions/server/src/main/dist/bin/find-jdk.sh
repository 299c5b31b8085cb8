# Sourced by bin/smg and ./mvnw. Prints the home of a JDK 21+:
# JAVA_HOME when it is 21 or newer, else the newest JDK 21+ under /usr/lib/jvm.
shepherd_jdk_major() {
  [ -x "$1/bin/java" ] || return 1
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  [ -n "$v" ] && echo "$v"
}

shepherd_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && m=$(shepherd_jdk_major "$JAVA_HOME") && [ "$m" -ge 21 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  best=; best_major=0
  for home in /usr/lib/jvm/*; do
    [ -L "$home" ] && continue
    m=$(shepherd_jdk_major "$home") || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best=$home; best_major=$m; fi
  done
  [ -n "$best" ] && echo "$best"
}
