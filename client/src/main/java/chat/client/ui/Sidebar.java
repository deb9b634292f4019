package chat.client.ui;

import chat.client.model.ContactEntry;
import chat.client.model.Times;
import chat.protocol.ServerFrame;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.List;
import java.util.function.LongSupplier;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.Timer;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/**
 * The left column: who I am, a search box over all users, and my conversations and contacts (or,
 * while searching, the users found). Selecting a row opens that conversation.
 */
final class Sidebar extends JPanel {

    interface Actions {
        void open(String peer);

        /** A search result was picked: what the search said of them (online, last seen) comes along. */
        void openFound(ServerFrame.UserInfo user);

        void search(String query);

        void setListed(String peer, boolean listed);
    }

    private final Actions actions;
    private final JTextField search = new JTextField();
    private final DefaultListModel<Object> rows = new DefaultListModel<>();
    private final JList<Object> list = new JList<>(rows) {
        @Override
        public boolean getScrollableTracksViewportWidth() {
            return true; // rows fit the column; long previews are cut with "…"
        }
    };
    private final JLabel hint = new JLabel();
    private final Timer searchDelay;
    private boolean searching;
    private boolean updating;

    Sidebar(String me, Times times, LongSupplier clock, Actions actions) {
        super(new BorderLayout());
        this.actions = actions;
        setPreferredSize(new Dimension(320, 600));

        JLabel who = new JLabel(me);
        who.setName("me");
        who.setFont(who.getFont().deriveFont(Font.BOLD, 16f));
        search.setName("search");
        search.putClientProperty("JTextField.placeholderText", "Search people");
        search.putClientProperty("JTextField.showClearButton", true);
        JPanel top = new JPanel(new BorderLayout(0, 10));
        top.setBorder(BorderFactory.createEmptyBorder(12, 12, 8, 12));
        top.add(who, BorderLayout.NORTH);
        top.add(search, BorderLayout.SOUTH);

        list.setName("contacts");
        list.setCellRenderer(new ContactCell(times, clock));
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && !updating && list.getSelectedValue() != null) {
                Object v = list.getSelectedValue();
                if (searching) {
                    search.setText("");
                }
                if (v instanceof ContactEntry c) {
                    actions.open(c.peer());
                } else {
                    actions.openFound((ServerFrame.UserInfo) v);
                }
            }
        });
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                popup(e);
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                popup(e);
            }
        });
        hint.setForeground(Theme.secondaryText());
        hint.setBorder(BorderFactory.createEmptyBorder(4, 14, 4, 14));
        JScrollPane scroll = new JScrollPane(list, JScrollPane.VERTICAL_SCROLLBAR_AS_NEEDED,
                JScrollPane.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(null);
        add(top, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        add(hint, BorderLayout.SOUTH);

        searchDelay = new Timer(250, e -> actions.search(search.getText().strip()));
        searchDelay.setRepeats(false);
        search.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                searchDelay.restart();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                searchDelay.restart();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
            }
        });
    }

    String query() {
        return search.getText().strip();
    }

    void focusSearch() {
        search.requestFocusInWindow();
    }

    /** Shows my conversations and contacts, keeping `selected` selected. */
    void showContacts(List<ContactEntry> entries, String selected) {
        searching = false;
        replace(List.copyOf(entries), selected);
        hint.setText(entries.isEmpty() ? "<html>No conversations yet. Search for someone to start one.</html>" : "");
    }

    void showResults(List<ServerFrame.UserInfo> users) {
        searching = true;
        replace(List.copyOf(users), null);
        hint.setText(users.isEmpty() ? "Nobody by that name." : "Pick someone to talk with");
    }

    void showSearchProblem(String text) {
        searching = true;
        replace(List.of(), null);
        hint.setText(text);
    }

    private void replace(List<?> items, String selected) {
        updating = true;
        try {
            rows.clear();
            int select = -1;
            for (Object item : items) {
                rows.addElement(item);
                if (item instanceof ContactEntry c && c.peer().equals(selected)) {
                    select = rows.size() - 1;
                }
            }
            if (select >= 0) {
                list.setSelectedIndex(select);
            } else {
                list.clearSelection();
            }
        } finally {
            updating = false;
        }
    }

    private void popup(MouseEvent e) {
        if (!e.isPopupTrigger()) {
            return;
        }
        int index = list.locationToIndex(e.getPoint());
        if (index < 0 || !(rows.get(index) instanceof ContactEntry entry) || entry.group()) {
            return;
        }
        JPopupMenu menu = new JPopupMenu();
        JMenuItem item = new JMenuItem(entry.listed() ? "Remove from contacts" : "Add to contacts");
        item.addActionListener(a -> actions.setListed(entry.peer(), !entry.listed()));
        menu.add(item);
        menu.show(list, e.getX(), e.getY());
    }
}
