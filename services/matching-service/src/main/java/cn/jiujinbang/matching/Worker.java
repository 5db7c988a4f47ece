package cn.jiujinbang.matching;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A gig worker: skills, home, how far they travel, whether they take work now, rating and load. */
@Entity
@Table(name = "worker")
public class Worker {

    @Id
    public String id;
    public String name;
    @Column(name = "service_codes")
    public String[] serviceCodes;
    @Column(name = "home_lat")
    public double homeLat;
    @Column(name = "home_lon")
    public double homeLon;
    @Column(name = "radius_m")
    public int radiusMeters;
    public boolean available;
    public double rating;
    /** Residents' ratings so far: how many, and their stars in all (domain WorkerRating). */
    @Column(name = "rating_count")
    public int ratingCount;
    @Column(name = "rating_stars")
    public long ratingStars;
    @Column(name = "active_jobs")
    public int activeJobs;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
