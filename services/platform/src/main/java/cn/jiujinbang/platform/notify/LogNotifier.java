package cn.jiujinbang.platform.notify;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The notifier outside production: each notification is a line in the log (category gig.notifications). */
@ApplicationScoped
@DefaultBean
public class LogNotifier implements Notifier {

    private static final Logger LOG = Logger.getLogger("gig.notifications");

    @Override
    public void send(Message m, NotificationKind.Channel channel) {
        LOG.infof("%s to %s via %s about %s: %s", m.kind(), m.personId(), channel, m.subject(), m.text());
    }
}
