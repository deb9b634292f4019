package chat.server.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a SQLite connection's prepared statements for the next time the same SQL comes, instead of
 * compiling it again: in a reconnect storm compiling the same few queries was 11 % of the node's
 * CPU. sqlite-jdbc has no such cache and HikariCP deliberately none, so a connection made here
 * answers {@code prepareStatement(sql)} with a kept statement whose {@code close()} only resets it
 * (its result set closed: no read transaction stays open on it, nor parameters bound) and gives it
 * back. A statement still open when the same SQL is asked again (a nested use) is not shared: that
 * caller gets one of its own, closed as usual. At most {@link #SIZE} per connection, least recently
 * used out first; closing the connection closes them. A connection is used by one thread at a time
 * (the pool hands it to one), so nothing here is synchronized.
 */
final class StatementCache implements InvocationHandler {

    /** Per connection: the node's distinct queries are a few dozen. */
    static final int SIZE = 128;

    private final Connection connection;
    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            if (size() <= SIZE) {
                return false;
            }
            eldest.getValue().evict();
            return true;
        }
    };

    private StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** `connection`, with its one-argument {@code prepareStatement} answered from the cache. */
    static Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class},
                new StatementCache(connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("prepareStatement") && args != null && args.length == 1) {
            return prepare((String) args[0]);
        }
        if (name.equals("close") && args == null) {
            closeAll();
        }
        if (method.getDeclaringClass() == Object.class) {
            return identity(proxy, method, args);
        }
        return forward(connection, method, args);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Kept k = kept.get(sql);
        if (k != null && k.evicted) { // it could not be reset: a new one
            kept.remove(sql);
            k = null;
        }
        if (k == null) {
            k = new Kept(connection.prepareStatement(sql));
            kept.put(sql, k);
        } else if (k.inUse) {
            return connection.prepareStatement(sql); // a nested use of the same SQL: not shared
        }
        k.inUse = true;
        return k.proxy;
    }

    private void closeAll() {
        List<Kept> all = new ArrayList<>(kept.values());
        kept.clear();
        for (Kept k : all) {
            k.evict();
        }
    }

    /** equals, hashCode and toString of a proxy: its own identity, not the wrapped object's. */
    private static Object identity(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "cached " + Integer.toHexString(System.identityHashCode(proxy));
        };
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A statement kept for its SQL; handed out to one user at a time. */
    private static final class Kept implements InvocationHandler {

        private final PreparedStatement statement;
        private final PreparedStatement proxy;
        private ResultSet results; // the last executeQuery's, closed when the statement is given back
        private boolean inUse;
        private boolean evicted; // out of the cache: its user's close() really closes it

        Kept(PreparedStatement statement) {
            this.statement = statement;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object p, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("close") && args == null) {
                giveBack();
                return null;
            }
            if (name.equals("isClosed") && args == null) {
                return !inUse || statement.isClosed();
            }
            if (method.getDeclaringClass() == Object.class) {
                return identity(p, method, args);
            }
            Object result = forward(statement, method, args);
            if (name.equals("executeQuery")) {
                results = (ResultSet) result;
            }
            return result;
        }

        private void giveBack() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            try {
                if (results != null) {
                    results.close(); // resets the statement: its read transaction ends
                    results = null;
                }
                statement.clearParameters();
                statement.clearBatch();
            } catch (SQLException e) {
                evicted = true; // a statement that cannot be reset is not handed out again
                throw e;
            } finally {
                if (evicted) {
                    statement.close();
                }
            }
        }

        /** Out of the cache: closed now if nobody uses it, else when its user gives it back. */
        void evict() {
            evicted = true;
            if (!inUse) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // closing a statement of a connection that is going away
                }
            }
        }
    }
}
